"""The periodic recovery sweep (Celery beat): captures whose worker or message was lost."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ... import jobs
from ...models import Capture
from .leases import EXTRACT, FETCH, STAGES, WORKER_LOST, S, fail, gave_up
from .policy import lease


def captures_recover(limit: int = 1000) -> dict[str, int]:
    """Periodic sweep: re-send the work of captures whose worker or message was lost; fail those out of attempts."""
    now = timezone.now()
    stale = now - lease()
    counts = {"resent": 0, "failed": 0}
    lost = Q(status__in=[S.FETCHING, S.EXTRACTING], started_at__lt=stale)
    never_started = Q(status=S.PENDING) & (
        Q(next_attempt_at__lt=stale) | Q(next_attempt_at__isnull=True, created_at__lt=stale)
    )
    never_extracted = Q(status=S.EXTRACTING, started_at__isnull=True, fetched_at__lt=stale)
    for capture in Capture.objects.filter(lost | never_started | never_extracted).order_by("pk")[:limit]:
        stage = EXTRACT if capture.status == S.EXTRACTING else FETCH
        _status, counter, task = STAGES[stage]
        if getattr(capture, counter) >= settings.FETCH_MAX_ATTEMPTS:
            counts["failed"] += fail(
                Capture.objects.filter(pk=capture.pk, status=capture.status, started_at=capture.started_at),
                code=WORKER_LOST,
                message=gave_up(getattr(capture, counter)),
            )
        # The task re-claims it; a duplicate of a live message is harmless.
        elif jobs.send(task, capture.pk):
            counts["resent"] += 1
        else:
            break  # the broker is down again: the next sweep tries
    return counts
