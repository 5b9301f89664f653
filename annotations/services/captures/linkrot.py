"""Link rot and drift: fetching the sources of published verdicts again and comparing them with their captures."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from ... import fetching
from ...models import Capture, CaptureCheck, Verdict
from ..quotes import flag_gone_quotes
from .leases import S
from .policy import fetch_policy


def captures_due_for_recheck(limit: int = 500) -> list[int]:
    """Done captures cited by published verdicts whose last check (or the capture) is older than the interval."""
    due = timezone.now() - timedelta(seconds=settings.FETCH_RECHECK_INTERVAL)
    return list(
        Capture.objects.filter(status=S.DONE, evidence__claim__verdict__status=Verdict.Status.PUBLISHED)
        .annotate(last_checked=Coalesce(Max("checks__checked_at"), "finished_at"))
        .filter(last_checked__lt=due)
        .order_by("last_checked")
        .values_list("pk", flat=True)
        .distinct()[:limit]
    )


def capture_recheck(capture_id: int) -> CaptureCheck | None:
    """Fetch a captured source again and compare it with the capture; flag evidence whose quote is gone."""
    capture = Capture.objects.filter(pk=capture_id, status=S.DONE).first()
    if capture is None:
        return None
    try:
        result = fetching.fetch(capture.url, fetch_policy())
    except fetching.FetchError as exc:
        gone = exc.status in (404, 410)
        check = CaptureCheck(
            capture=capture,
            status=CaptureCheck.Status.GONE if gone else CaptureCheck.Status.ERROR,
            http_status=exc.status,
            final_url=(exc.url or "")[:2000],
            error_code=exc.code[:50],
            error_message=exc.message,
        )
        new_text = "" if gone else None
    else:
        check = CaptureCheck(
            capture=capture,
            status=CaptureCheck.Status.UNCHANGED,
            http_status=result.status,
            final_url=result.final_url,
            sha256=result.sha256,
            body_changed=result.sha256 != capture.sha256,
        )
        new_text = capture.text
        if check.body_changed:
            check.status = CaptureCheck.Status.CHANGED
            try:
                new_text = fetching.extract(result.body, result.content_type_header, result.final_url).text
                check.text_changed = new_text != capture.text
            except fetching.ExtractionError as exc:
                check.error_code, check.error_message, new_text = exc.code, exc.message, None
        else:
            check.text_changed = False
    with transaction.atomic():
        if new_text is not None:
            check.quotes_gone = flag_gone_quotes(capture, new_text)
        check.save()
    return check
