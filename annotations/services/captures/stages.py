"""The two worker stages of a capture: the fetch (fetch queue) and the extraction (extract queue).

Each claims its stage (leases), works outside any transaction, and writes its result fenced by the claim.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from ... import fetching, jobs
from ...models import Capture
from ..quotes import evidence_check_quote
from .leases import EXTRACT, FETCH, S, claim, fail_stage, fenced_update, not_claimed
from .policy import fetch_policy, retry_delay

logger = logging.getLogger(__name__)


def _release_connection() -> None:
    """Give the database connection back to the pool while this thread waits on the network.

    A fetch worker runs many threads and a small pool: a thread that kept its connection through a slow fetch would
    leave the others waiting for one. Without a pool, closing would only mean reconnecting afterwards, so it stays.
    """
    if getattr(connection, "pool", None) is not None and not connection.in_atomic_block:
        connection.close()


def _hops(redirects) -> list[dict]:
    return [{"url": h.url, "status": h.status, "address": h.address, "location": h.location} for h in redirects]


def capture_fetch(capture_id: int) -> str:
    """Stage 1 (fetch queue): claim, fetch, store the raw body and its provenance, hand over to extraction."""
    capture = claim(capture_id, FETCH)
    if capture is None:
        return not_claimed(capture_id, FETCH)
    _release_connection()
    try:
        result = fetching.fetch(capture.url, fetch_policy())
    except fetching.FetchError as exc:
        return _fetch_failed(capture, exc)
    except Exception as exc:  # a bug, not the source's fault: retried like a transient error, and logged
        logger.exception("Unexpected error fetching capture %s", capture.pk)
        error = fetching.FetchError("internal_error", f"Unexpected error while fetching: {exc}", transient=True)
        return _fetch_failed(capture, error)

    capture.body.save(f"{capture.pk}-{result.sha256[:16]}.bin", ContentFile(result.body), save=False)
    declared = result.content_type_header if result.declared_content_type else ""
    stored = fenced_update(
        capture,
        FETCH,
        status=S.EXTRACTING,
        started_at=None,  # the extraction stage is not taken yet
        final_url=result.final_url,
        redirect_chain=_hops(result.redirects),
        connected_ip=result.connected_ip or None,
        http_status=result.status,
        headers=result.headers,
        content_type=declared[:200],
        sniffed_type=result.sniffed_content_type[:100],
        size=result.size,
        sha256=result.sha256,
        body=capture.body.name,
        fetched_at=timezone.now(),
        error_code="",
        error_message="",
    )
    if not stored:  # this worker's lease ran out and another one took over: its result counts, not ours
        capture.body.delete(save=False)
        return "superseded"
    jobs.send(jobs.EXTRACT_CAPTURE, capture.pk)  # if the broker is down, the recovery sweep sends it
    return "fetched"


def _fetch_failed(capture: Capture, exc: fetching.FetchError) -> str:
    fields = {
        "error_code": exc.code[:50],
        "error_message": exc.message,
        "http_status": exc.status,
        "redirect_chain": _hops(exc.redirects),
        "final_url": (exc.url or "")[:2000],
    }
    if exc.transient and capture.attempts < settings.FETCH_MAX_ATTEMPTS:
        delay = retry_delay(capture.attempts, exc.retry_after)
        waiting = fenced_update(
            capture, FETCH, status=S.PENDING, next_attempt_at=timezone.now() + timedelta(seconds=delay), **fields
        )
        if waiting:
            jobs.send(jobs.FETCH_CAPTURE, capture.pk, countdown=delay)
        return "retry"
    if exc.transient:
        fields["error_message"] = f"{exc.message} (gave up after {capture.attempts} attempts)"
    fail_stage(capture, FETCH, code=fields.pop("error_code"), message=fields.pop("error_message"), **fields)
    return "failed"


def _effective_type(capture: Capture) -> str:
    return capture.content_type or capture.sniffed_type


def capture_extract(capture_id: int, *, on_done: Callable[[Capture], object] | None = None) -> str:
    """Stage 2 (extract queue): extract title and text from the stored body, check evidence quotes, finish.

    `on_done(capture)` runs once the capture is done and committed: the task passes the articles service's import,
    which finishes an import asked for while the capture was in flight (the row read back says whether one was).
    """
    capture = claim(capture_id, EXTRACT)
    if capture is None:
        return not_claimed(capture_id, EXTRACT)
    try:
        with capture.body.open("rb") as handle:
            body = handle.read()
        document = fetching.extract(body, _effective_type(capture), capture.final_url or capture.url)
    except fetching.ExtractionError as exc:
        fail_stage(capture, EXTRACT, code=exc.code, message=exc.message)
        return "failed"
    except OSError as exc:
        fail_stage(capture, EXTRACT, code="snapshot_missing", message=f"The stored body cannot be read: {exc}")
        return "failed"
    with transaction.atomic():
        finished = fenced_update(
            capture,
            EXTRACT,
            status=S.DONE,
            title=document.title.replace("\x00", "")[:1000],
            text=document.text.replace("\x00", ""),  # PostgreSQL text cannot hold NUL
            extractor=document.extractor[:50],
            extractor_version=str(document.extractor_version)[:50],
            finished_at=timezone.now(),
            error_code="",
            error_message="",
        )
        if not finished:
            return "superseded"
        # order_by("pk"): Evidence's default ordering starts with the claim, a join this needs no more than a sort.
        for evidence in capture.evidence.order_by("pk"):
            evidence_check_quote(evidence=evidence, capture=capture)
    if on_done is not None:
        on_done(capture)
    return "done"


def capture_extract_timed_out(capture_id: int) -> None:
    capture = Capture.objects.get(pk=capture_id)
    fail_stage(
        capture,
        EXTRACT,
        code="extract_timeout",
        message=f"Text extraction took longer than {settings.FETCH_TIME_LIMIT:g} seconds.",
    )
