"""Captures of cited sources: request, fetch, extract, check quotes, retry, recover, re-check for link rot.

The Celery tasks (annotations.tasks) only pass a capture id to the worker functions here.

How a capture survives duplicates and dead workers
--------------------------------------------------
A worker *claims* a stage with one conditional UPDATE: the fetch from ``pending`` (or from ``fetching`` whose
lease has expired), the extraction from ``extracting`` not yet taken (or whose lease has expired). The claim
increments the stage's attempt counter, which is also the fencing token: every later write is conditional on
the status and counter the claim set, so a worker that lost its lease can never overwrite the work of the worker
that took over. A lease lasts FETCH_TIME_LIMIT seconds from ``started_at``: no stage runs longer (the fetch has
its own deadline, extraction a hard time limit), so a capture still in a stage after that has lost its worker.

- A duplicate message finds the capture taken (or finished) and does nothing; if the stage is still leased it
  looks again once the lease has expired, so it also serves as the redelivery when the holder died.
- Tasks acknowledge late and are requeued when a worker dies (Redis redelivers after its visibility timeout):
  the redelivered message re-claims the capture once the lease has expired, spending one more attempt.
- When the attempts are used up, the capture fails with ``worker_lost`` instead of being taken again.
- The periodic recovery sweep re-sends the message of any capture whose lease expired or whose message never
  arrived (a broker without redelivery, a broker down at commit time), and fails those out of attempts.
So a capture ends done at most once, and a worker killed mid-fetch leads to one successful capture.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .. import fetching, languages, quotecheck
from ..models import ArticleRevision, Capture, CaptureCheck, Evidence, Verdict
from . import articles  # a module import: articles -> reanchoring -> claims -> captures -> articles
from .common import http_url_problem, record, require

logger = logging.getLogger(__name__)

S = Capture.Status
# The two worker stages: the status a claim moves to, its attempt counter and its task.
FETCH, EXTRACT = "fetch", "extract"
_STAGES = {
    FETCH: (S.FETCHING, "attempts", "fetch_capture"),
    EXTRACT: (S.EXTRACTING, "extract_attempts", "extract_capture"),
}


def fetch_policy() -> fetching.FetchPolicy:
    """The SSRF and size/time limits for every fetch, from the FETCH_* settings."""
    return fetching.FetchPolicy(
        allowed_ports=settings.FETCH_ALLOWED_PORTS,
        allow_loopback=settings.FETCH_ALLOW_LOOPBACK,
        connect_timeout=settings.FETCH_CONNECT_TIMEOUT,
        read_timeout=settings.FETCH_READ_TIMEOUT,
        deadline=settings.FETCH_DEADLINE,
        max_body_bytes=settings.FETCH_MAX_BYTES,
        max_redirects=settings.FETCH_MAX_REDIRECTS,
        allowed_content_types=settings.FETCH_CONTENT_TYPES,
        user_agent=settings.FETCH_USER_AGENT,
    )


def _lease() -> timedelta:
    return timedelta(seconds=settings.FETCH_TIME_LIMIT)


def _send(task_name: str, capture_id: int, countdown: float | None = None) -> None:
    """Put a task message on the broker (tests replace this to run the stages themselves)."""
    from .. import tasks

    getattr(tasks, task_name).apply_async((capture_id,), countdown=countdown)


def _send_on_commit(task_name: str, capture_id: int) -> None:
    def send():
        try:
            _send(task_name, capture_id)
        except Exception:  # the broker is down: the recovery sweep sends it later, the user's write stands
            logger.exception("Could not enqueue %s for capture %s; the recovery sweep will", task_name, capture_id)

    transaction.on_commit(send)


# --------------------------------------------------------------------------------------------------- requests


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
        _send_on_commit("fetch_capture", capture.pk)
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
    _send_on_commit("fetch_capture", capture.pk)
    capture.refresh_from_db()
    return capture


def article_import_from_url(*, actor, url: str, language: str = "", fresh: bool = False) -> Capture:
    """Import (or update) the article at `url` through the capture pipeline.

    Returns the capture. When it is done, its extracted title and text become the article's newest revision
    (origin fetched); that happens here if a recent capture exists (unless `fresh`), else when the worker finishes.
    """
    require(actor, "annotations.add_article", "Only editors import articles.")
    url = (url or "").strip()
    if problem := http_url_problem(url):
        raise ValidationError({"url": problem})
    try:
        fetching.parse_url(url, fetch_policy())
    except fetching.FetchError as exc:
        raise ValidationError({"url": exc.message}) from None
    try:
        language = languages.normalise(language) if language else ""
    except ValueError as error:
        raise ValidationError({"language": str(error)}) from None
    with transaction.atomic():
        capture = capture_request(url, fresh=fresh)
        waiting = Capture.objects.filter(pk=capture.pk, status__in=Capture.IN_FLIGHT).update(
            import_requested_by=actor, import_language=language
        )
        capture.refresh_from_db()
        record(actor=actor, action="article_import_requested", comment=url)
    if not waiting:
        if capture.status == S.DONE:
            _import_article(capture, actor, language)
        capture.refresh_from_db()
    return capture


def _import_article(capture: Capture, actor, language: str | None = None) -> None:
    try:
        result = articles.article_import(
            actor=actor,
            title=capture.title or capture.final_url or capture.url,
            text=capture.text,
            origin=ArticleRevision.Origin.FETCHED,
            url=capture.url,
            language=language or capture.import_language or None,
        )
    except (ValidationError, PermissionDenied) as exc:
        logger.warning("Capture %s could not be imported as an article: %s", capture.pk, exc)
        return
    Capture.objects.filter(pk=capture.pk).update(article=result.article)


# ------------------------------------------------------------------------------------------ claims and fencing


# Every column but the extracted text, which no stage reads back from its claim.
_CLAIM_FIELDS = [f for f in Capture._meta.concrete_fields if f.name != "text"]


def _claim(capture_id: int, stage: str) -> Capture | None:
    """Take `stage` of the capture with one conditional UPDATE ... RETURNING; None if it is not claimable.

    This runs once per task on every worker, so it is one round trip in plain SQL rather than the ORM's update
    plus a get (which was a third of a fetch worker's CPU time). The condition is the one described above.
    """
    status, counter, _task = _STAGES[stage]
    now = timezone.now()
    table, quote = Capture._meta.db_table, connection.ops.quote_name
    ready = "status = %s" if stage == FETCH else "(status = %s AND started_at IS NULL)"
    ready_status = S.PENDING if stage == FETCH else S.EXTRACTING
    clear_retry = ", next_attempt_at = NULL" if stage == FETCH else ""
    # Identifiers come from the model and constants; every value is a parameter.
    sql = (
        f"UPDATE {quote(table)} SET status = %s, started_at = %s, {counter} = {counter} + 1{clear_retry} "  # noqa: S608
        f"WHERE id = %s AND {counter} < %s AND ({ready} OR (status = %s AND started_at < %s)) "
        f"RETURNING {', '.join(quote(f.column) for f in _CLAIM_FIELDS)}"
    )
    params = [status, now, capture_id, settings.FETCH_MAX_ATTEMPTS, ready_status, status, now - _lease()]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for i, field in enumerate(_CLAIM_FIELDS):  # what the ORM would do with these columns (JSON, for one)
        expression = field.get_col(table)
        for converter in connection.ops.get_db_converters(expression) + field.get_db_converters(connection):
            values[i] = converter(values[i], expression, connection)
    return Capture.from_db(connection.alias, [f.attname for f in _CLAIM_FIELDS], values)


def _fenced_update(capture: Capture, stage: str, **changes) -> bool:
    """Write `changes` to the capture as long as it is still in the stage and attempt this worker claimed.

    Every write of a stage goes through here, each task's result included, so it is one plain UPDATE rather than
    the ORM's. Values are prepared by their fields as QuerySet.update() prepares them (no expressions). On success
    the changes are also set on `capture`, and so are the columns other requests may have changed meanwhile
    (an import asked for while the capture was in flight), read back in the same statement.
    """
    status, counter, _task = _STAGES[stage]
    fields = [Capture._meta.get_field(name) for name in changes]
    quote = connection.ops.quote_name
    # Identifiers come from the model and the callers' keyword names (checked by get_field); values are parameters.
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = (
        f"UPDATE {quote(Capture._meta.db_table)} SET {sets} "  # noqa: S608
        f"WHERE id = %s AND status = %s AND {counter} = %s RETURNING import_requested_by_id, article_id"
    )
    params = [f.get_db_prep_save(changes[f.name], connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, capture.pk, status, getattr(capture, counter)])
        row = cursor.fetchone()
    if row is None:
        return False
    for name, value in changes.items():
        setattr(capture, name, value)
    capture.import_requested_by_id, capture.article_id = row
    return True


def _not_claimed(capture_id: int, stage: str) -> str:
    """A message for a capture this worker could not take: finished, taken by a live worker, or out of attempts."""
    status, counter, task = _STAGES[stage]
    capture = Capture.objects.filter(pk=capture_id).first()
    if capture is None:
        return "missing"
    waiting_for_fetch = stage == FETCH and capture.status == S.PENDING
    if capture.status != status and not waiting_for_fetch:
        return f"already {capture.status}"
    now = timezone.now()
    if capture.status == status and capture.started_at is not None and capture.started_at + _lease() > now:
        # Another worker holds the stage. Look again when its lease ends: if it died, this message takes over.
        _send(task, capture_id, countdown=(capture.started_at + _lease() - now).total_seconds() + 1)
        return "busy"
    if getattr(capture, counter) >= settings.FETCH_MAX_ATTEMPTS:
        _fail(
            Capture.objects.filter(pk=capture.pk, status=capture.status, **{counter: getattr(capture, counter)}),
            code="worker_lost",
            message=f"Gave up after {getattr(capture, counter)} attempts: the worker stopped (it crashed, was "
            "killed or ran out of time) before the capture was finished.",
        )
        return "failed"
    return "not claimable"


def _failure(code: str, message: str) -> dict:
    return {
        "status": S.FAILED,
        "error_code": code[:50],
        "error_message": message,
        "finished_at": timezone.now(),
        "next_attempt_at": None,
    }


def _fail(rows, *, code: str, message: str) -> int:
    """Fail the captures of `rows` (a queryset that says which state it expects them in)."""
    return rows.update(**_failure(code, message))


def _fail_stage(capture: Capture, stage: str, *, code: str, message: str, **fields) -> bool:
    """Fail the stage this worker claimed; nothing if another worker took it over meanwhile."""
    return _fenced_update(capture, stage, **_failure(code, message), **fields)


def retry_delay(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter after the `attempt`-th try, at least the server's Retry-After, capped."""
    cap = settings.FETCH_RETRY_BACKOFF_MAX
    delay = min(cap, settings.FETCH_RETRY_BACKOFF * 2 ** max(0, attempt - 1))
    delay = delay / 2 + random.uniform(0, delay / 2)  # jitter spreads retries out
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, cap)


# ------------------------------------------------------------------------------------------------ the stages


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
    capture = _claim(capture_id, FETCH)
    if capture is None:
        return _not_claimed(capture_id, FETCH)
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
    stored = _fenced_update(
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
    _send("extract_capture", capture.pk)
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
        waiting = _fenced_update(
            capture, FETCH, status=S.PENDING, next_attempt_at=timezone.now() + timedelta(seconds=delay), **fields
        )
        if waiting:
            _send("fetch_capture", capture.pk, countdown=delay)
        return "retry"
    if exc.transient:
        fields["error_message"] = f"{exc.message} (gave up after {capture.attempts} attempts)"
    _fail_stage(capture, FETCH, code=fields.pop("error_code"), message=fields.pop("error_message"), **fields)
    return "failed"


def _effective_type(capture: Capture) -> str:
    return capture.content_type or capture.sniffed_type


def capture_extract(capture_id: int) -> str:
    """Stage 2 (extract queue): extract title and text from the stored body, check evidence quotes, finish."""
    capture = _claim(capture_id, EXTRACT)
    if capture is None:
        return _not_claimed(capture_id, EXTRACT)
    try:
        with capture.body.open("rb") as handle:
            body = handle.read()
        document = fetching.extract(body, _effective_type(capture), capture.final_url or capture.url)
    except fetching.ExtractionError as exc:
        _fail_stage(capture, EXTRACT, code=exc.code, message=exc.message)
        return "failed"
    except OSError as exc:
        _fail_stage(capture, EXTRACT, code="snapshot_missing", message=f"The stored body cannot be read: {exc}")
        return "failed"
    with transaction.atomic():
        finished = _fenced_update(
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
    if capture.import_requested_by_id is not None and capture.article_id is None:
        # The user may have been deleted since the UPDATE read the id (the column would be NULL by now).
        requester = get_user_model().objects.filter(pk=capture.import_requested_by_id).first()
        if requester is not None:
            _import_article(capture, requester)
    return "done"


def capture_extract_timed_out(capture_id: int) -> None:
    capture = Capture.objects.get(pk=capture_id)
    _fail_stage(
        capture,
        EXTRACT,
        code="extract_timeout",
        message=f"Text extraction took longer than {settings.FETCH_TIME_LIMIT:g} seconds.",
    )


# ---------------------------------------------------------------------------------------------- quote checks


_QUOTE_FIELDS = ["quote_status", "quote_start", "quote_end", "quote_score", "quote_differences", "quote_checked_at"]


def _apply_check(evidence: Evidence, check: quotecheck.QuoteCheck) -> None:
    evidence.quote_status = check.status  # the three outcomes are QuoteStatus values
    evidence.quote_start, evidence.quote_end = check.start, check.end
    evidence.quote_score = None if check.status == quotecheck.NOT_FOUND else check.score
    evidence.quote_differences = [list(pair) for pair in check.differences]
    evidence.quote_checked_at = timezone.now()


def evidence_check_quote(*, evidence: Evidence, capture: Capture | None = None) -> Evidence:
    """Check the evidence quote against its capture's text: found (faithful), differs (with its diff), not found."""
    capture = capture or evidence.capture
    quote = evidence.quote.strip()
    if capture is None or capture.status != S.DONE or not quote:
        return evidence
    _apply_check(evidence, quotecheck.check_quote(capture.text, quote))
    evidence.save(update_fields=_QUOTE_FIELDS)
    return evidence


# ------------------------------------------------------------------------------------------------- recovery


def captures_recover(limit: int = 1000) -> dict[str, int]:
    """Periodic sweep: re-send the work of captures whose worker or message was lost; fail those out of attempts."""
    now = timezone.now()
    stale = now - _lease()
    counts = {"resent": 0, "failed": 0}
    lost = Q(status__in=[S.FETCHING, S.EXTRACTING], started_at__lt=stale)
    never_started = Q(status=S.PENDING) & (
        Q(next_attempt_at__lt=stale) | Q(next_attempt_at__isnull=True, created_at__lt=stale)
    )
    never_extracted = Q(status=S.EXTRACTING, started_at__isnull=True, fetched_at__lt=stale)
    for capture in Capture.objects.filter(lost | never_started | never_extracted).order_by("pk")[:limit]:
        stage = EXTRACT if capture.status == S.EXTRACTING else FETCH
        _status, counter, task = _STAGES[stage]
        if getattr(capture, counter) >= settings.FETCH_MAX_ATTEMPTS:
            counts["failed"] += _fail(
                Capture.objects.filter(pk=capture.pk, status=capture.status, started_at=capture.started_at),
                code="worker_lost",
                message=f"Gave up after {getattr(capture, counter)} attempts: the worker stopped (it crashed, was "
                "killed or ran out of time) before the capture was finished.",
            )
        else:
            _send(task, capture.pk)  # the task re-claims it; a duplicate of a live message is harmless
            counts["resent"] += 1
    return counts


# ------------------------------------------------------------------------------------- link rot and drift


def captures_due_for_recheck(limit: int = 500) -> list[int]:
    """Done captures cited by published verdicts whose last check (or the capture) is older than the interval."""
    due = timezone.now() - timedelta(seconds=settings.FETCH_RECHECK_INTERVAL)
    return list(
        Capture.objects.filter(status=S.DONE, evidence__claim__verdicts__status=Verdict.Status.PUBLISHED)
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
            check.quotes_gone = _flag_gone_quotes(capture, new_text)
        check.save()
    return check


def _flag_gone_quotes(capture: Capture, text: str) -> int:
    """Re-check the quotes once located in the capture against the source's `text` as fetched now.

    A quote whose passage is no longer there becomes gone, keeping its offsets into the capture (which still holds
    the text it was checked against); one that is there again, or still there, takes the new result: found, or
    differs with the diff against what the source says now. So found -> gone -> found, and a differs quote's diff
    follows the source. Returns how many are gone.
    """
    gone = 0
    located = [Evidence.QuoteStatus.FOUND, Evidence.QuoteStatus.DIFFERS, Evidence.QuoteStatus.GONE]
    # order_by("pk") also keeps the default ordering's join to the claim (and FOR UPDATE's lock on it) out.
    rows = capture.evidence.select_for_update().filter(quote_status__in=located).exclude(quote="").order_by("pk")
    for evidence in rows:
        check = quotecheck.check_quote(text, evidence.quote) if text else quotecheck.NOT_FOUND_RESULT
        if check.status == quotecheck.NOT_FOUND:
            gone += 1
            if evidence.quote_status != Evidence.QuoteStatus.GONE:
                evidence.quote_status = Evidence.QuoteStatus.GONE
                evidence.quote_checked_at = timezone.now()
                evidence.save(update_fields=["quote_status", "quote_checked_at"])
            continue
        differences = [list(pair) for pair in check.differences]
        if (check.status, differences) == (evidence.quote_status, evidence.quote_differences):
            continue
        # quote_start/end stay: they locate the passage in the capture's text, the one the capture page shows.
        evidence.quote_status = check.status
        evidence.quote_score = check.score
        evidence.quote_differences = differences
        evidence.quote_checked_at = timezone.now()
        evidence.save(update_fields=["quote_status", "quote_score", "quote_differences", "quote_checked_at"])
    return gone
