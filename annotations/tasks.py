"""Celery tasks: thin wrappers that pass an id to annotations.services.captures.

Every task acknowledges late and is requeued if its worker dies (CELERY_TASK_ACKS_LATE and
CELERY_TASK_REJECT_ON_WORKER_LOST); the services' claims make running a message twice harmless.
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from .services import captures, reanchoring

_ON_FETCH_QUEUE = frozenset({"annotations.tasks.fetch_capture", "annotations.tasks.recheck_capture"})


def route(name, args, kwargs, options, task=None, **kw):
    """CELERY_TASK_ROUTES: network-bound tasks to FETCH_QUEUE, everything else of this app to EXTRACT_QUEUE.

    Read at send time, so that FETCH_QUEUE/EXTRACT_QUEUE can differ per deployment (and per test run).
    """
    if name in _ON_FETCH_QUEUE:
        return {"queue": settings.FETCH_QUEUE}
    if name.startswith("annotations."):
        return {"queue": settings.EXTRACT_QUEUE}
    return None


@shared_task
def fetch_capture(capture_id: int) -> str:
    # The fetch bounds its own time (FETCH_DEADLINE); the threads pool cannot enforce Celery time limits.
    return captures.capture_fetch(capture_id)


@shared_task(soft_time_limit=settings.FETCH_TIME_LIMIT - 5, time_limit=settings.FETCH_TIME_LIMIT)
def extract_capture(capture_id: int) -> str:
    try:
        return captures.capture_extract(capture_id)
    except SoftTimeLimitExceeded:
        captures.capture_extract_timed_out(capture_id)
        return "failed"


@shared_task
def recover_captures() -> dict:
    return captures.captures_recover()


@shared_task
def recheck_sources() -> int:
    due = captures.captures_due_for_recheck()
    for capture_id in due:
        recheck_capture.delay(capture_id)
    return len(due)


@shared_task
def recheck_capture(capture_id: int) -> str:
    check = captures.capture_recheck(capture_id)
    return check.status if check is not None else "skipped"


# --- Re-anchoring claims on a new revision ------------------------------------------------------------------------


@shared_task(name="annotations.reanchor_article")
def reanchor_article_task(article_id: int, revision_id: int) -> dict:
    # Idempotent and a no-op once a newer revision exists, so redelivery (acks_late) is harmless.
    result = reanchoring.reanchor_article(article_id=article_id, revision_id=revision_id)
    return {"revision_id": result.revision_id, "skipped": result.skipped, "changed": result.changed}


@shared_task
def reanchor_sweep() -> int:
    # Celery beat: finds articles whose re-anchoring message was lost (a broker down at commit) and re-sends it.
    return reanchoring.reanchor_sweep()
