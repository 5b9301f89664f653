"""Celery tasks: thin wrappers that pass an id to the services (captures, articles, reanchoring).

Every task acknowledges late and is requeued if its worker dies (CELERY_TASK_ACKS_LATE and
CELERY_TASK_REJECT_ON_WORKER_LOST); the services' claims make running a message twice harmless.
"""

import smtplib

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from .jobs import (
    EXTRACT_CAPTURE,
    FETCH_CAPTURE,
    REANCHOR_ARTICLE,
    REANCHOR_SWEEP,
    RECHECK_CAPTURE,
    RECHECK_SOURCES,
    RECOVER_CAPTURES,
    REMIND_DUE,
    SEND_DIGESTS,
    SEND_NOTIFICATION_EMAIL,
)
from .services import articles, captures, notifications, reanchoring


@shared_task(name=FETCH_CAPTURE)
def fetch_capture(capture_id: int) -> str:
    # The fetch bounds its own time (FETCH_DEADLINE); the threads pool cannot enforce Celery time limits.
    return captures.capture_fetch(capture_id)


@shared_task(name=EXTRACT_CAPTURE, soft_time_limit=settings.FETCH_TIME_LIMIT - 5, time_limit=settings.FETCH_TIME_LIMIT)
def extract_capture(capture_id: int) -> str:
    try:
        # An article import asked for while the capture was in flight is finished by the articles service.
        return captures.capture_extract(capture_id, on_done=articles.article_import_from_capture)
    except SoftTimeLimitExceeded:
        captures.capture_extract_timed_out(capture_id)
        return "failed"


@shared_task(name=RECOVER_CAPTURES)
def recover_captures() -> dict:
    return captures.captures_recover()


@shared_task(name=RECHECK_SOURCES)
def recheck_sources() -> int:
    due = captures.captures_due_for_recheck()
    for capture_id in due:
        recheck_capture.delay(capture_id)
    return len(due)


@shared_task(name=RECHECK_CAPTURE)
def recheck_capture(capture_id: int) -> str:
    check = captures.capture_recheck(capture_id)
    return check.status if check is not None else "skipped"


# --- Re-anchoring claims on a new revision ------------------------------------------------------------------------


@shared_task(name=REANCHOR_ARTICLE)
def reanchor_article_task(article_id: int, revision_id: int) -> dict:
    # Idempotent and a no-op once a newer revision exists, so redelivery (acks_late) is harmless.
    result = reanchoring.reanchor_article(article_id=article_id, revision_id=revision_id)
    return {"revision_id": result.revision_id, "skipped": result.skipped, "changed": result.changed}


@shared_task(name=REANCHOR_SWEEP)
def reanchor_sweep() -> int:
    # Celery beat: finds articles whose re-anchoring message was lost (a broker down at commit) and re-sends it.
    return reanchoring.reanchor_sweep()


# --- Notifications ------------------------------------------------------------------------------------------------


# SMTP errors and a server that cannot be reached (OSError: refused, reset, timed out) are retried with exponential
# backoff; the service marks the row emailed in the transaction that sends, so a retry or redelivery after a
# successful send does nothing.
@shared_task(
    name=SEND_NOTIFICATION_EMAIL,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=2,
    retry_backoff_max=600,
    max_retries=10,
)
def send_notification_email(notification_id: int) -> str:
    return notifications.notification_email_send(notification_id)


@shared_task(name=SEND_DIGESTS, autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=60, max_retries=5)
def send_notification_digests() -> int:
    return notifications.digests_send()


@shared_task(name=REMIND_DUE)
def remind_due_work() -> int:
    # Celery beat, daily: due tomorrow and overdue; once per assignment and due date however often it runs.
    return notifications.remind_due()
