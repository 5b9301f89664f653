"""Queueing a Celery task by its name, after the caller's transaction has committed.

Tasks are sent by the ``name=`` they have in annotations.tasks (and that CELERY_TASK_ROUTES keys their queues by),
so that the services which queue work need not import the tasks that call them.

By commit time the user's write is stored, so a broker that is down must not turn it into an error: the failure is
logged and the message dropped. The periodic sweeps (``reanchor_sweep``, ``captures_recover``) find the work it
would have started. The broker settings bound how long a send may take (connect and socket timeouts, a short
publish retry), so a down broker costs a request about a second, not a hang.
"""

import logging
from functools import partial

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def send(name: str, *args, countdown: float | None = None) -> bool:
    """Send task `name` with `args` now; False (and a logged error) if the broker could not take it."""
    try:
        current_app.send_task(name, args, countdown=countdown)
    except Exception:  # kombu.exceptions.OperationalError, socket errors, timeouts: whatever the transport raises
        logger.exception("Could not enqueue %s%r; the periodic sweep will do it later", name, args)
        return False
    return True


def send_on_commit(name: str, *args) -> None:
    """Send task `name` with `args` once the caller's transaction commits (at once outside one); never raises."""
    transaction.on_commit(partial(send, name, *args))


# The tasks' names (annotations.tasks, CELERY_TASK_ROUTES and CELERY_BEAT_SCHEDULE use the same). They are the
# names the tasks had before they were given explicitly, so that messages already queued still find their task.
FETCH_CAPTURE = "annotations.tasks.fetch_capture"
EXTRACT_CAPTURE = "annotations.tasks.extract_capture"
RECOVER_CAPTURES = "annotations.tasks.recover_captures"
RECHECK_SOURCES = "annotations.tasks.recheck_sources"
RECHECK_CAPTURE = "annotations.tasks.recheck_capture"
REANCHOR_ARTICLE = "annotations.reanchor_article"
REANCHOR_SWEEP = "annotations.tasks.reanchor_sweep"
SEND_NOTIFICATION_EMAIL = "annotations.send_notification_email"
SEND_DIGESTS = "annotations.send_notification_digests"
REMIND_DUE = "annotations.remind_due_work"
