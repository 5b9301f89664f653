"""Asking for a capture of a URL (evidence, an article import) and retrying a failed one."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ... import jobs
from ...models import Capture
from ..common import record, require
from .leases import S


def capture_request(url: str, *, fresh: bool = False) -> Capture:
    """The capture evidence citing `url` should link to: a recent done one, one in flight, or a new pending one.

    A new capture's fetch is enqueued when the caller's transaction commits. `url` must already be validated.
    `fresh` skips the recent done one (an article fetched again for a new revision wants today's page).
    """
    recent = (
        None
        if fresh
        else (
            Capture.objects.filter(
                url=url,
                status=S.DONE,
                finished_at__gte=timezone.now() - timedelta(seconds=settings.FETCH_REUSE_MAX_AGE),
            )
            .order_by("-finished_at")
            .first()
        )
    )
    if recent is not None:
        return recent
    for _ in range(3):
        in_flight = Capture.objects.filter(url=url, status__in=Capture.IN_FLIGHT).first()
        if in_flight is not None:
            return in_flight
        try:
            with transaction.atomic():
                capture = Capture.objects.create(url=url)
        except IntegrityError:  # another request started this URL a moment ago: join it
            continue
        jobs.send_on_commit(jobs.FETCH_CAPTURE, capture.pk)  # a broker down: the recovery sweep sends it later
        return capture
    raise RuntimeError(f"Could not create or find a capture of {url}")  # pragma: no cover - needs a 3-way race


def capture_retry(*, actor, capture: Capture) -> Capture:
    """Try a failed capture again from the start (editors)."""
    require(actor, "annotations.add_capture", "Only editors and reviewers retry captures.")
    if capture.status != S.FAILED:
        raise ValidationError({"status": f"Only a failed capture can be retried; this one is {capture.status}."})
    try:
        with transaction.atomic():
            updated = Capture.objects.filter(pk=capture.pk, status=S.FAILED).update(
                status=S.PENDING,
                attempts=0,
                extract_attempts=0,
                started_at=None,
                finished_at=None,
                next_attempt_at=None,
            )
    except IntegrityError:
        other = Capture.objects.filter(url=capture.url, status__in=Capture.IN_FLIGHT).first()
        raise ValidationError(
            {"status": f"This URL is already being fetched (capture {other.pk if other else '?'})."}
        ) from None
    if not updated:
        raise ValidationError({"status": "The capture changed meanwhile; reload the page."})
    record(actor=actor, action="capture_retried", comment=f"capture {capture.pk}: {capture.url}")
    jobs.send_on_commit(jobs.FETCH_CAPTURE, capture.pk)
    capture.refresh_from_db()
    return capture
