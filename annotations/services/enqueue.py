"""Putting task messages on the broker after the caller's transaction has committed.

By then the user's write is stored, so a broker that is down must not turn it into an error: the failure is logged
and the message dropped. The periodic sweeps (``reanchor_sweep``, ``captures_recover``) find the work it would
have started. The broker settings bound how long a send may take (connect and socket timeouts, a short publish
retry), so a down broker costs a request about a second, not a hang.
"""

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def send(task, *args) -> bool:
    """Send `task(*args)` now; False (and a logged error) if the broker could not take it."""
    try:
        task.apply_async(args)
    except Exception:  # kombu.exceptions.OperationalError, socket errors, timeouts: whatever the transport raises
        logger.exception("Could not enqueue %s%r; the periodic sweep will do it later", task.name, args)
        return False
    return True


def send_on_commit(task, *args) -> None:
    """Send `task(*args)` once the caller's transaction commits (at once outside a transaction); never raises."""
    transaction.on_commit(partial(send, task, *args))
