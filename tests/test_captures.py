"""The capture pipeline in-process: services and task bodies against a real local server and real PostgreSQL.

The broker is replaced by a list (``sent``): each test runs the stages it wants by calling the task functions
itself, which shows what a worker does with each message, duplicates and stale ones included. Every test runs
inside the fetch safety net: only this test's server (and a loopback database) may be reached.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annotations import fetching, jobs, services, tasks
from annotations.models import Article, ArticleRevision, Capture, CaptureCheck, Evidence
from annotations.services import captures
from annotations.services.captures import leases
from tests import fetch_safety
from tests.api_support import client_for
from tests.local_server import SOURCE_PAGE, SOURCE_TEXT, LocalServer, article_html

pytestmark = pytest.mark.django_db

QUOTE = "Russia's arms exports fell by 64 per cent between 2015-19 and 2020-24."
CLAIM = "Russia continues to be among the top five arms exporters in the world"


@pytest.fixture(autouse=True)
def jail(monkeypatch, settings):
    with fetch_safety.jailed(monkeypatch) as net:
        db = settings.DATABASES["default"]
        if db.get("HOST", "").startswith("127.") or db.get("HOST") == "localhost":
            net.allow_port(int(db.get("PORT") or 5432))
        yield net


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


@pytest.fixture
def server(jail):
    srv = LocalServer()
    jail.allow_port(srv.port)
    yield srv
    srv.close()


@pytest.fixture(autouse=True)
def fetch_settings(settings, server):
    settings.FETCH_ALLOW_LOOPBACK = True
    settings.FETCH_ALLOWED_PORTS = [80, 443, server.port]
    settings.FETCH_CONNECT_TIMEOUT = settings.FETCH_READ_TIMEOUT = 2.0
    settings.FETCH_DEADLINE = 5.0
    settings.FETCH_TIME_LIMIT = 30.0
    settings.FETCH_MAX_ATTEMPTS = 3
    settings.FETCH_RETRY_BACKOFF = 10.0
    settings.FETCH_RETRY_BACKOFF_MAX = 100.0
    return settings


@pytest.fixture
def sent(monkeypatch):
    """The messages the services put on the broker, as (task function in annotations.tasks, capture id, countdown)."""
    messages: list[tuple[str, int, float | None]] = []

    def send(name, pk, countdown=None):
        messages.append((name.rsplit(".", 1)[-1], pk, countdown))
        return True

    monkeypatch.setattr(jobs, "send", send)
    return messages


def run(sent, limit: int = 10) -> list[str]:
    """Deliver the queued messages in order, as a worker would (ignoring countdowns)."""
    outcomes = []
    while sent and limit:
        task, pk, _countdown = sent.pop(0)
        outcomes.append(getattr(tasks, task)(pk))
        limit -= 1
    return outcomes


@pytest.fixture
def claim(editor, revision):
    return services.claim_create(
        actor=editor, revision=revision, start=0, end=len(CLAIM), exact=CLAIM, claim_reviewed=CLAIM[:75]
    )


def add_evidence(editor, claim, url, quote=QUOTE):
    return services.evidence_add(actor=editor, claim=claim, url=url, stance="supports", quote=quote)


# ------------------------------------------------------------------------------------------- the happy path


def test_evidence_creates_a_capture_enqueued_after_commit(
    editor, claim, server, sent, django_capture_on_commit_callbacks
):
    url = server.add("/sipri")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence = add_evidence(editor, claim, url)
    assert evidence.capture.status == Capture.Status.PENDING and evidence.capture.url == url
    assert sent == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert sent == [("fetch_capture", evidence.capture_id, None)]


def test_fetch_and_extract_store_the_snapshot_and_find_the_quote(
    editor, claim, server, sent, media, django_capture_on_commit_callbacks
):
    server.routes["/old"] = (301, {"Location": "/sipri"}, b"")
    server.add("/sipri")
    with django_capture_on_commit_callbacks(execute=True):
        evidence = add_evidence(editor, claim, server.url("/old"))
    assert run(sent) == ["fetched", "done"]

    capture = Capture.objects.get(pk=evidence.capture_id)
    assert capture.status == Capture.Status.DONE and capture.attempts == 1 and capture.extract_attempts == 1
    assert capture.final_url == server.url("/sipri")
    assert capture.redirect_chain == [
        {"url": server.url("/old"), "status": 301, "address": "127.0.0.1", "location": server.url("/sipri")}
    ]
    assert capture.connected_ip == "127.0.0.1" and capture.http_status == 200
    assert capture.content_type == "text/html; charset=utf-8" and capture.sniffed_type == "text/html"
    assert capture.headers["content-type"] == "text/html; charset=utf-8"
    assert capture.size == len(SOURCE_PAGE) and capture.sha256 == hashlib.sha256(SOURCE_PAGE).hexdigest()
    with capture.body.open("rb") as handle:
        assert handle.read() == SOURCE_PAGE
    assert capture.body.path.startswith(str(media))
    assert capture.title == "Trends in International Arms Transfers, 2024"
    assert SOURCE_TEXT in capture.text
    assert capture.extractor == "trafilatura" and capture.extractor_version
    assert capture.created_at <= capture.fetched_at <= capture.started_at <= capture.finished_at  # started: extraction

    evidence.refresh_from_db()
    assert evidence.quote_status == Evidence.QuoteStatus.FOUND and evidence.quote_score == 1.0
    assert capture.text[evidence.quote_start : evidence.quote_end] == QUOTE
    assert evidence.quote_checked_at is not None


def test_quotes_are_found_faithful_or_differ_with_their_diff_or_are_not_found(editor, claim, server, sent):
    url = server.add("/sipri")
    capture = captures.capture_request(url)
    run([("fetch_capture", capture.pk, None)])
    run(sent)
    assert Capture.objects.get(pk=capture.pk).status == Capture.Status.DONE
    typographic = add_evidence(editor, claim, url, quote="“russia’s arms exports fell by 64 per\ncent   between”")
    shouting = add_evidence(editor, claim, url, quote="Russia's ARMS exports fell by 64 per cent")
    typo = add_evidence(editor, claim, url, quote="The United States acounted for 34 per cent of global arms exports")
    missing = add_evidence(editor, claim, url, quote="Arms imports by European states more than doubled")
    empty = add_evidence(editor, claim, url, quote="")
    for evidence in (typographic, shouting, typo, missing, empty):
        assert evidence.capture_id == capture.pk  # a recent done capture is reused, and checked at once
    text = Capture.objects.get(pk=capture.pk).text
    assert typographic.quote_status == "found" and typographic.quote_score == 1.0
    assert text[typographic.quote_start : typographic.quote_end] == "Russia's arms exports fell by 64 per cent between"
    assert typographic.quote_differences == []
    assert shouting.quote_status == "differs" and shouting.quote_differences == [["ARMS", "arms"]]
    # A typo and a changed number are both shown, never passed as "approximately found".
    stored = Evidence.objects.get(pk=typo.pk)
    assert stored.quote_status == "differs" and stored.quote_differences == [["acounted", "accounted"], ["34", "43"]]
    assert 0.5 < stored.quote_score < 1
    assert text[stored.quote_start : stored.quote_end] == (
        "The United States accounted for 43 per cent of global arms exports"
    )
    assert missing.quote_status == "not_found" and missing.quote_start is None and missing.quote_score is None
    assert missing.quote_differences == []
    assert empty.quote_status == "unchecked"
    assert sent == []  # no second fetch


def test_an_old_capture_is_not_reused_and_an_in_flight_one_is(server, sent, settings):
    url = server.add("/sipri")
    first = captures.capture_request(url)
    assert captures.capture_request(url) == first  # pending: joined
    run([("fetch_capture", first.pk, None)])
    assert captures.capture_request(url) == first  # extracting: joined
    run(sent)
    assert captures.capture_request(url) == first  # done and recent: reused
    Capture.objects.filter(pk=first.pk).update(finished_at=timezone.now() - timedelta(days=2))
    settings.FETCH_REUSE_MAX_AGE = 24 * 3600
    second = captures.capture_request(url)
    assert second != first and second.status == Capture.Status.PENDING


# ---------------------------------------------------------------------------- duplicates and dead workers


def test_the_stages_take_few_queries(server, sent, django_assert_num_queries):
    # Both stages run once per capture on every worker: the claim (UPDATE ... RETURNING) and the fenced write,
    capture = captures.capture_request(server.add("/sipri"))
    with django_assert_num_queries(2):
        assert tasks.fetch_capture(capture.pk) == "fetched"
    with django_assert_num_queries(5):  # then the evidence to check; the savepoint pair is a transaction in production
        assert tasks.extract_capture(capture.pk) == "done"


def test_a_claim_returns_the_row_as_the_orm_would_without_the_text(server, sent):
    capture = captures.capture_request(server.add("/sipri"))
    run([("fetch_capture", capture.pk, None)])
    Capture.objects.filter(pk=capture.pk).update(text="left over")
    claimed = leases.claim(capture.pk, leases.EXTRACT)
    stored = Capture.objects.get(pk=capture.pk)
    assert claimed.extract_attempts == 1 and claimed.status == "extracting" and claimed.started_at is not None
    assert claimed.redirect_chain == stored.redirect_chain == [] and claimed.headers == stored.headers != {}
    assert claimed.connected_ip == stored.connected_ip == "127.0.0.1" and claimed.fetched_at == stored.fetched_at
    assert claimed.body.name == stored.body.name and claimed.content_type == stored.content_type
    assert "text" in claimed.get_deferred_fields()
    assert leases.claim(capture.pk, leases.EXTRACT) is None  # taken


def test_captured_text_is_compressed_with_lz4_where_the_server_supports_it(db):
    # pglz spent ~4 ms of server CPU per 100 KB capture, lz4 under 1 (migration 0004).
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        (available,) = cursor.fetchone()
        cursor.execute(
            "SELECT attcompression FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'text'",
            [Capture._meta.db_table],
        )
        (method,) = cursor.fetchone()
    assert method == ("l" if available else "")


def test_a_duplicate_message_does_nothing(server, sent):
    capture = captures.capture_request(server.add("/sipri"))
    assert run([("fetch_capture", capture.pk, None)]) == ["fetched"]
    assert tasks.fetch_capture(capture.pk) == "already extracting"
    assert run(sent) == ["done"]
    assert tasks.extract_capture(capture.pk) == "already done"
    assert tasks.fetch_capture(capture.pk) == "already done"
    assert server.count("/sipri") == 1
    assert Capture.objects.get(pk=capture.pk).attempts == 1


def test_a_message_for_a_capture_another_worker_holds_looks_again_when_the_lease_ends(server, sent, settings):
    capture = captures.capture_request(server.add("/sipri"))
    Capture.objects.filter(pk=capture.pk).update(status="fetching", attempts=1, started_at=timezone.now())
    assert tasks.fetch_capture(capture.pk) == "busy"
    (task, pk, countdown) = sent.pop()
    assert (task, pk) == ("fetch_capture", capture.pk) and 29 < countdown <= 31
    assert server.count("/sipri") == 0


def test_a_capture_whose_worker_died_is_taken_over_once_its_lease_expired(server, sent, settings):
    capture = captures.capture_request(server.add("/sipri"))
    long_ago = timezone.now() - timedelta(seconds=settings.FETCH_TIME_LIMIT + 1)
    Capture.objects.filter(pk=capture.pk).update(status="fetching", attempts=1, started_at=long_ago)
    assert run([("fetch_capture", capture.pk, None)]) == ["fetched"]  # the redelivered message
    assert run(sent) == ["done"]
    capture.refresh_from_db()
    assert capture.status == "done" and capture.attempts == 2


def test_a_worker_that_lost_its_lease_cannot_overwrite_the_one_that_took_over(
    server, sent, settings, monkeypatch, media
):
    capture = captures.capture_request(server.add("/sipri"))
    real_fetch = fetching.fetch

    def slow_fetch(url, policy):
        # While this worker is "slow", its lease expires and another worker takes the capture over.
        long_ago = timezone.now() - timedelta(seconds=settings.FETCH_TIME_LIMIT + 1)
        Capture.objects.filter(pk=capture.pk).update(started_at=long_ago)
        monkeypatch.setattr(fetching, "fetch", real_fetch)
        assert tasks.fetch_capture(capture.pk) == "fetched"
        return real_fetch(url, policy)

    monkeypatch.setattr(fetching, "fetch", slow_fetch)
    assert tasks.fetch_capture(capture.pk) == "superseded"
    capture.refresh_from_db()
    assert capture.attempts == 2 and capture.status == "extracting"
    assert [name for name, *_ in sent] == ["extract_capture"]
    assert capture.body.storage.exists(capture.body.name)
    assert len(list(media.rglob("*.bin"))) == 1  # the loser's file is gone


def test_attempts_are_bounded_when_workers_keep_dying(server, sent, settings):
    capture = captures.capture_request(server.add("/sipri"))
    long_ago = timezone.now() - timedelta(seconds=settings.FETCH_TIME_LIMIT + 1)
    Capture.objects.filter(pk=capture.pk).update(status="fetching", attempts=3, started_at=long_ago)
    assert tasks.fetch_capture(capture.pk) == "failed"
    capture.refresh_from_db()
    assert capture.status == "failed" and capture.error_code == "worker_lost"
    assert "Gave up after 3 attempts" in capture.error_message
    assert server.count("/sipri") == 0


def test_the_recovery_sweep_resends_lost_work_and_fails_what_is_out_of_attempts(server, sent, settings):
    stale = timezone.now() - timedelta(seconds=settings.FETCH_TIME_LIMIT + 1)
    lost = captures.capture_request(server.add("/a"))
    exhausted = captures.capture_request(server.add("/b"))
    never_sent = captures.capture_request(server.add("/c"))
    fresh = captures.capture_request(server.add("/d"))
    waiting = captures.capture_request(server.add("/e"))
    Capture.objects.filter(pk=lost.pk).update(status="fetching", attempts=1, started_at=stale)
    Capture.objects.filter(pk=exhausted.pk).update(status="fetching", attempts=3, started_at=stale)
    Capture.objects.filter(pk=never_sent.pk).update(created_at=stale)
    Capture.objects.filter(pk=waiting.pk).update(created_at=stale, next_attempt_at=timezone.now())
    assert services.captures_recover() == {"resent": 2, "failed": 1}
    assert sorted(pk for _task, pk, _countdown in sent) == sorted([lost.pk, never_sent.pk])
    assert Capture.objects.get(pk=exhausted.pk).error_code == "worker_lost"
    assert Capture.objects.get(pk=fresh.pk).status == "pending"
    run(sent, limit=2)
    run(sent)
    assert set(Capture.objects.filter(status="done").values_list("pk", flat=True)) == {lost.pk, never_sent.pk}


# ----------------------------------------------------------------------------------------- failures, retries


@pytest.mark.parametrize(
    ("status", "headers", "code"),
    [
        (503, {"Content-Type": "text/html"}, "http_server_error"),
        (429, {"Content-Type": "text/html", "Retry-After": "77"}, "http_rate_limited"),
    ],
)
def test_transient_failures_retry_with_backoff_until_the_attempts_are_used_up(server, sent, status, headers, code):
    capture = captures.capture_request(server.add("/flaky", b"busy", status=status, headers=headers))
    delays = []
    sent.append(("fetch_capture", capture.pk, None))
    for attempt in (1, 2):
        assert run(sent, limit=1) == ["retry"]
        capture.refresh_from_db()
        assert capture.status == "pending" and capture.attempts == attempt
        assert capture.error_code == code and capture.http_status == status
        assert capture.next_attempt_at > timezone.now()
        delays.append(sent[-1][2])
    if "Retry-After" in headers:
        assert all(77 <= delay <= 100 for delay in delays)
    else:
        assert 5 <= delays[0] <= 10 and 10 <= delays[1] <= 20  # exponential, with jitter
    assert run(sent, limit=1) == ["failed"]
    capture.refresh_from_db()
    assert capture.status == "failed" and capture.attempts == 3 and "gave up after 3 attempts" in capture.error_message
    assert sent == [] and server.count("/flaky") == 3


def test_retry_delay_grows_exponentially_and_respects_the_cap(settings):
    settings.FETCH_RETRY_BACKOFF, settings.FETCH_RETRY_BACKOFF_MAX = 10.0, 100.0
    for attempt, (low, high) in {1: (5, 10), 2: (10, 20), 3: (20, 40), 6: (50, 100), 20: (50, 100)}.items():
        assert all(low <= captures.retry_delay(attempt) <= high for _ in range(50))
    assert captures.retry_delay(1, retry_after=60) == 60
    assert captures.retry_delay(1, retry_after=5000) == 100


@pytest.mark.parametrize(
    ("path", "route", "code"),
    [
        ("/missing", None, "http_client_error"),
        ("/image", (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n"), "unsupported_content_type"),
    ],
)
def test_permanent_failures_do_not_retry(server, sent, path, route, code):
    if route:
        server.routes[path] = route
    capture = captures.capture_request(server.url(path))
    assert run([("fetch_capture", capture.pk, None)]) == ["failed"]
    capture.refresh_from_db()
    assert capture.status == "failed" and capture.error_code == code and capture.error_message
    assert capture.attempts == 1 and sent == [] and not capture.body


def test_a_blocked_address_fails_without_a_connection(server, sent, settings, jail):
    settings.FETCH_ALLOW_LOOPBACK = False
    capture = captures.capture_request(server.add("/sipri"))
    assert run([("fetch_capture", capture.pk, None)]) == ["failed"]
    capture.refresh_from_db()
    assert capture.error_code == "blocked_address" and "loopback" in capture.error_message
    assert server.count("/sipri") == 0 and jail.connections == []


def test_a_body_that_cannot_be_extracted_fails_with_the_reason(server, sent):
    server.routes["/broken.pdf"] = (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\nnot really a pdf")
    capture = captures.capture_request(server.url("/broken.pdf"))
    assert run([("fetch_capture", capture.pk, None)]) == ["fetched"]
    assert run(sent) == ["failed"]
    capture.refresh_from_db()
    assert capture.status == "failed" and capture.error_code == "extract_failed"
    assert capture.sha256 and capture.body  # the snapshot is kept: it is what the server sent


def test_a_snapshot_gone_from_storage_fails_the_extraction_with_the_reason(server, sent):
    capture = captures.capture_request(server.add("/sipri"))
    assert run([("fetch_capture", capture.pk, None)]) == ["fetched"]
    capture.refresh_from_db()
    capture.body.storage.delete(capture.body.name)
    assert run(sent) == ["failed"]
    capture.refresh_from_db()
    assert (capture.status, capture.error_code) == ("failed", "snapshot_missing")
    assert "cannot be read" in capture.error_message and capture.finished_at is not None


def test_an_extraction_past_its_soft_time_limit_fails_with_the_reason(server, sent, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    capture = captures.capture_request(server.add("/sipri"))
    assert run([("fetch_capture", capture.pk, None)]) == ["fetched"]

    def too_slow(body, content_type, url):
        raise SoftTimeLimitExceeded()  # what Celery raises in the task when the soft limit passes

    monkeypatch.setattr(fetching, "extract", too_slow)
    assert run(sent) == ["failed"]
    capture.refresh_from_db()
    assert (capture.status, capture.error_code, capture.extract_attempts) == ("failed", "extract_timeout", 1)


# ------------------------------------------------------------------------------------------------ retrying


def test_editors_retry_a_failed_capture(editor, server, sent, django_capture_on_commit_callbacks):
    capture = captures.capture_request(server.url("/later"))
    run([("fetch_capture", capture.pk, None)])
    capture.refresh_from_db()
    assert capture.status == "failed"
    server.add("/later")
    with django_capture_on_commit_callbacks(execute=True):
        capture = services.capture_retry(actor=editor, capture=capture)
    assert capture.status == "pending" and capture.attempts == 0 and sent == [("fetch_capture", capture.pk, None)]
    assert run(sent) == ["fetched", "done"]
    with pytest.raises(ValidationError, match="Only a failed capture"):
        services.capture_retry(actor=editor, capture=Capture.objects.get(pk=capture.pk))


def test_only_editors_retry(db, server, sent):
    from tests.conftest import make_user

    capture = Capture.objects.create(url=server.url("/x"), status="failed", error_code="http_client_error")
    with pytest.raises(PermissionDenied):
        services.capture_retry(actor=make_user("nobody", None), capture=capture)


# --------------------------------------------------------------------------------------------- import by URL


def test_import_by_url_makes_the_extracted_text_the_articles_new_revision(editor, server, sent):
    url = server.add("/news", article_html("Budget approved", ["The council approved the budget on Friday."]))
    capture = services.article_import_from_url(actor=editor, url=url)
    assert capture.import_requested_by == editor and capture.article is None
    run([("fetch_capture", capture.pk, None)])
    run(sent)
    capture.refresh_from_db()
    article = capture.article
    assert article.url == url and article.title == "Budget approved"
    revision = article.revisions.get()
    assert revision.origin == ArticleRevision.Origin.FETCHED and "approved the budget on Friday" in revision.text

    # Later the page changes: importing again (with an old capture) adds a revision to the same article.
    Capture.objects.filter(pk=capture.pk).update(finished_at=timezone.now() - timedelta(days=2))
    server.add("/news", article_html("Budget approved", ["The council approved the budget on Saturday."]))
    again = services.article_import_from_url(actor=editor, url=url)
    run([("fetch_capture", again.pk, None)])
    run(sent)
    assert [r.number for r in article.revisions.all()] == [1, 2]
    assert "Saturday" in article.revisions.get(number=2).text


def test_import_by_url_keeps_the_chosen_language_until_the_worker_imports(editor, server, sent):
    chosen = server.add("/he", article_html("Report", ["The council approved the budget on Friday."]))
    detected = server.add("/en", article_html("Budget", ["The council approved the budget on Friday evening."]))
    capture = services.article_import_from_url(actor=editor, url=chosen, language="he")
    other = services.article_import_from_url(actor=editor, url=detected)
    assert (capture.import_language, other.import_language) == ("he", "")
    run([("fetch_capture", capture.pk, None), ("fetch_capture", other.pk, None)])
    run(sent)
    assert Article.objects.get(url=chosen).language == "he"  # what the editor chose, though the text is English
    assert Article.objects.get(url=detected).language == "en"
    with pytest.raises(ValidationError) as raised:
        services.article_import_from_url(actor=editor, url=server.url("/x"), language="Hebrew!")
    assert "language" in raised.value.message_dict


def test_import_by_url_refuses_bad_urls_and_non_editors(editor, db):
    from tests.conftest import make_user

    with pytest.raises(ValidationError, match="not an http"):
        services.article_import_from_url(actor=editor, url="ftp://example.org/x")
    with pytest.raises(ValidationError, match="Port 8081 is not allowed"):
        services.article_import_from_url(actor=editor, url="http://example.org:8081/x")
    with pytest.raises(PermissionDenied):
        services.article_import_from_url(actor=make_user("nobody", None), url="https://example.org/")
    assert not Capture.objects.exists()


# ------------------------------------------------------------------------------------- link rot and drift


@pytest.fixture
def published(editor, reviewer, claim, rating, server, sent, django_capture_on_commit_callbacks):
    """A published verdict whose evidence quote was found in its capture."""
    server.add("/sipri")
    with django_capture_on_commit_callbacks(execute=True):
        evidence = add_evidence(editor, claim, server.url("/sipri"))
    run(sent)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="True, with context.")
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    services.verdict_publish(actor=reviewer, verdict=verdict)
    evidence.refresh_from_db()
    assert evidence.quote_status == "found"
    return evidence


def test_sources_of_published_verdicts_are_due_for_a_recheck_after_the_interval(published, settings, server):
    settings.FETCH_RECHECK_INTERVAL = 3600
    assert services.captures_due_for_recheck() == []
    Capture.objects.filter(pk=published.capture_id).update(finished_at=timezone.now() - timedelta(hours=2))
    assert services.captures_due_for_recheck() == [published.capture_id]
    services.capture_recheck(published.capture_id)
    assert services.captures_due_for_recheck() == []
    assert tasks.recheck_sources() == 0


def test_an_unchanged_source_is_recorded_as_unchanged(published, server):
    check = services.capture_recheck(published.capture_id)
    assert check.status == "unchanged" and check.body_changed is False and check.text_changed is False
    assert check.http_status == 200 and check.quotes_gone == 0
    published.refresh_from_db()
    assert published.quote_status == "found"


def test_a_recheck_locks_the_evidence_rows_and_nothing_else(published, server):
    # Evidence's default ordering goes through its claim: ordering by it would join (and lock) the claim too.
    with CaptureQueriesContext(connection) as queries:
        services.capture_recheck(published.capture_id)
    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locking) == 1 and "JOIN" not in locking[0]


def test_a_source_that_changed_and_lost_the_quote_flags_the_evidence(published, server):
    server.add("/sipri", article_html("Trends", ["The report was withdrawn for corrections. " * 5]))
    check = services.capture_recheck(published.capture_id)
    assert check.status == "changed" and check.body_changed and check.text_changed and check.quotes_gone == 1
    published.refresh_from_db()
    assert published.quote_status == "gone"
    # The page is restored: the quote is found again.
    server.add("/sipri")
    assert services.capture_recheck(published.capture_id).quotes_gone == 0
    published.refresh_from_db()
    assert published.quote_status == "found"


def test_the_reader_the_capture_page_and_the_api_show_the_quote_and_link_checks(published, server, client, editor):
    reader = reverse("reader", args=[published.claim.article_id]) + f"?claim={published.claim_id}"
    api = client_for(editor)
    client.force_login(editor)
    assert "quote found" in client.get(reader).content.decode()
    assert api.get(f"/api/evidence/?claim={published.claim_id}").json()["results"][0]["quote_status"] == "found"

    server.add("/sipri", article_html("Trends", ["The report was withdrawn for corrections. " * 5]))
    services.capture_recheck(published.capture_id)
    assert "quote gone from the source since it was captured" in client.get(reader).content.decode()
    page = client.get(reverse("capture_detail", args=[published.capture_id])).content.decode()
    assert "Link checks" in page and "Changed" in page
    evidence = api.get(f"/api/evidence/?claim={published.claim_id}").json()["results"][0]
    assert evidence["quote_status"] == "gone"
    checks = api.get(f"/api/captures/{published.capture_id}/").json()["checks"]
    assert [(c["status"], c["body_changed"], c["text_changed"], c["quotes_gone"]) for c in checks] == [
        ("changed", True, True, 1)
    ]


def test_a_cosmetic_change_keeps_the_text_and_the_quote(published, server):
    server.add("/sipri", SOURCE_PAGE.replace(b"<footer>Copyright</footer>", b"<footer>Copyright 2026</footer>"))
    check = services.capture_recheck(published.capture_id)
    assert check.status == "changed" and check.body_changed and check.text_changed is False
    published.refresh_from_db()
    assert published.quote_status == "found"


def test_a_source_that_is_gone_flags_the_evidence_and_a_server_error_does_not(published, server):
    server.routes["/sipri"] = (503, {"Content-Type": "text/html"}, b"down")
    check = services.capture_recheck(published.capture_id)
    assert check.status == "error" and check.http_status == 503 and check.error_code == "http_server_error"
    assert Evidence.objects.get(pk=published.pk).quote_status == "found"
    del server.routes["/sipri"]
    check = services.capture_recheck(published.capture_id)
    assert check.status == "gone" and check.http_status == 404 and check.quotes_gone == 1
    assert Evidence.objects.get(pk=published.pk).quote_status == "gone"
    assert CaptureCheck.objects.filter(capture_id=published.capture_id).count() == 2


# ---------------------------------------------------------------------------------------------- the policy


def test_the_fetch_policy_comes_from_settings(settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    settings.FETCH_ALLOWED_PORTS = [443, 8443]
    settings.FETCH_MAX_BYTES = 1234
    settings.FETCH_CONTENT_TYPES = ["text/html"]
    policy = services.fetch_policy()
    assert policy.allowed_ports == frozenset({443, 8443}) and policy.allow_loopback is False
    assert policy.max_body_bytes == 1234 and policy.allowed_content_types == frozenset({"text/html"})
    assert policy.deadline == settings.FETCH_DEADLINE


def test_loopback_is_refused_by_default():
    import factcheck.settings as project  # the module's values, not the test's overrides

    assert project.FETCH_ALLOW_LOOPBACK is False and project.FETCH_ALLOWED_PORTS == [80, 443]


def test_beat_runs_the_sweep_and_the_link_checks_and_each_task_has_its_queue(settings):
    from factcheck.celery import app

    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    # The other apps' entries are checked beside them (tests/matching/test_feeds.py, test_checkworthiness_training.py).
    schedule = {task: every for task, every in schedule.items() if task.startswith("annotations.")}
    assert schedule == {
        "annotations.tasks.recover_captures": settings.FETCH_RECOVER_EVERY,
        "annotations.tasks.recheck_sources": settings.FETCH_RECHECK_EVERY,
        "annotations.tasks.reanchor_sweep": settings.REANCHOR_SWEEP_EVERY,
        "annotations.remind_due_work": settings.NOTIFY_DUE_EVERY,
        "annotations.send_notification_digests": settings.NOTIFY_DIGEST_EVERY,
    }
    assert set(schedule) <= set(app.tasks)  # the names are registered tasks
    queues = {name: app.amqp.router.route({}, name)["queue"].name for name in app.tasks if name.startswith("annot")}
    # I/O-bound: fetching sources, and talking to the SMTP server.
    network = {
        "annotations.tasks.fetch_capture",
        "annotations.tasks.recheck_capture",
        "annotations.send_notification_email",
    }
    assert {name for name, queue in queues.items() if queue == settings.FETCH_QUEUE} == network
    assert {name for name, queue in queues.items() if queue == settings.EXTRACT_QUEUE} == set(queues) - network


# ------------------------------------------------------------------------------------ quote check and its diff


MISQUOTE = "The United States accounted for 34 per cent of global arms exports."


def test_a_misquote_is_stored_as_differs_with_its_diff_and_shown_everywhere(editor, claim, server, sent, client):
    url = server.add("/sipri")
    capture = captures.capture_request(url)
    run([("fetch_capture", capture.pk, None)])
    run(sent)
    evidence = Evidence.objects.get(pk=add_evidence(editor, claim, url, quote=MISQUOTE).pk)
    assert evidence.quote_status == "differs" and evidence.quote_differences == [["34", "43"]]
    assert Capture.objects.get(pk=capture.pk).text[evidence.quote_start : evidence.quote_end] == MISQUOTE.replace(
        "34", "43"
    )
    client.force_login(editor)
    for page in (
        reverse("reader", args=[claim.article_id]) + f"?claim={claim.pk}",
        reverse("capture_detail", args=[capture.pk]),
    ):
        html = client.get(page).content.decode()
        assert "quote differs from the source" in html and 'class="quote-differs"' in html
        assert '<del title="in the quote">34</del> → <ins title="in the source">43</ins>' in html
        assert "quote found" not in html
    row = client_for(editor).get(f"/api/evidence/?claim={claim.pk}").json()["results"][0]
    assert (row["quote_status"], row["quote_differences"]) == ("differs", [["34", "43"]])
    assert 0.5 < row["quote_score"] < 1
    detail = client_for(editor).get(f"/api/claims/{claim.pk}/").json()["evidence"][0]
    assert detail["quote_differences"] == [["34", "43"]]


def test_the_diff_is_escaped(editor, claim, server, sent, client):
    url = server.add("/page", article_html("Page", ["The minister said the plan was fully funded by the state. " * 2]))
    capture = captures.capture_request(url)
    run([("fetch_capture", capture.pk, None)])
    run(sent)
    evidence = add_evidence(
        editor, claim, url, quote="The minister said the <b>plan</b> was fully funded by the state."
    )
    assert evidence.quote_status == "differs"
    client.force_login(editor)
    html = client.get(reverse("capture_detail", args=[capture.pk])).content.decode()
    assert "<b>plan</b>" not in html and "&lt;b&gt;plan&lt;/b&gt;" in html


def test_a_link_check_keeps_a_differs_quote_s_diff_up_to_date_and_found_gone_found(published, server):
    # The source corrects a figure: the quote now differs, with the diff against what the page says now.
    server.add("/sipri", SOURCE_PAGE.replace(b"64 per", b"46 per"))
    assert services.capture_recheck(published.capture_id).quotes_gone == 0
    published.refresh_from_db()
    assert published.quote_status == "differs" and published.quote_differences == [["64", "46"]]
    assert published.quote_start is not None  # still located in the capture's text
    # It is removed: gone. Restored as captured: found again, without a diff.
    server.add("/sipri", article_html("Trends", ["The report was withdrawn for corrections. " * 5]))
    assert services.capture_recheck(published.capture_id).quotes_gone == 1
    published.refresh_from_db()
    assert published.quote_status == "gone" and published.quote_differences == [["64", "46"]]
    server.add("/sipri")
    assert services.capture_recheck(published.capture_id).quotes_gone == 0
    published.refresh_from_db()
    assert (published.quote_status, published.quote_differences, published.quote_score) == ("found", [], 1.0)


def test_recheck_quotes_rechecks_done_captures_and_prints_counts(editor, claim, server, sent):
    from io import StringIO

    from django.core.management import call_command

    url = server.add("/sipri")
    capture = captures.capture_request(url)
    run([("fetch_capture", capture.pk, None)])
    run(sent)
    found, misquote, missing, gone = (
        add_evidence(editor, claim, url, quote=quote)
        for quote in (QUOTE, MISQUOTE, "Arms imports by European states more than doubled", QUOTE)
    )
    pending = add_evidence(editor, claim, server.add("/other"))  # a new capture, not fetched
    # Rows as the old approximate matcher left them: all "found", no diff.
    Evidence.objects.filter(pk__in=[found.pk, misquote.pk, missing.pk]).update(
        quote_status="found", quote_start=0, quote_end=1, quote_score=0.9, quote_differences=[]
    )
    Evidence.objects.filter(pk=gone.pk).update(quote_status="gone")
    out = StringIO()
    call_command("recheck_quotes", "--batch", "2", stdout=out)
    assert out.getvalue().splitlines() == [
        "Re-checked 3 evidence quotes.",
        "  found: 1",
        "  differs: 1",
        "  not found: 1",
    ]
    statuses = dict(Evidence.objects.values_list("pk", "quote_status"))
    assert statuses == {
        found.pk: "found",
        misquote.pk: "differs",
        missing.pk: "not_found",
        gone.pk: "gone",
        pending.pk: "unchecked",
    }
    assert Evidence.objects.get(pk=misquote.pk).quote_differences == [["34", "43"]]
