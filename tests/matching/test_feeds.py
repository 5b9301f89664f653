"""Feed subscriptions and their refresh, in-process, against a real local server (the worker test runs the same
through Celery). Every test runs inside the fetch safety net: only this test's server and the database are reached."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from annotations import jobs as desk_jobs
from annotations.models import Activity
from matching import jobs, services, tasks
from matching.models import ClaimReviewFeed, FactCheck
from tests import fetch_safety
from tests.conftest import make_user
from tests.local_server import LocalServer

from .support import claim_review, data_feed, dumps, html_page

pytestmark = pytest.mark.django_db
JSON = {"Content-Type": "application/json"}


@pytest.fixture(autouse=True)
def jail(monkeypatch, settings):
    with fetch_safety.jailed(monkeypatch) as net:
        db = settings.DATABASES["default"]
        if db.get("HOST", "").startswith("127.") or db.get("HOST") == "localhost":
            net.allow_port(int(db.get("PORT") or 5432))
        yield net


@pytest.fixture
def server(jail):
    srv = LocalServer()
    jail.allow_port(srv.port)
    yield srv
    srv.close()


@pytest.fixture(autouse=True)
def fetch_settings(settings, server):
    # The guard refuses loopback in production; these tests allow this server's port only, as the capture tests do.
    settings.FETCH_ALLOW_LOOPBACK = True
    settings.FETCH_ALLOWED_PORTS = [80, 443, server.port]
    settings.FETCH_CONNECT_TIMEOUT = settings.FETCH_READ_TIMEOUT = 2.0
    settings.FETCH_DEADLINE = 5.0
    return settings


@pytest.fixture
def sent(monkeypatch):
    messages = []
    monkeypatch.setattr(desk_jobs, "send", lambda name, *args, countdown=None: messages.append((name, *args)) or True)
    return messages


@pytest.fixture
def admin_user(db):
    return make_user("adm", "Admins")


def feed_at(server, path, body, headers=JSON) -> ClaimReviewFeed:
    url = server.add(path, body, headers=headers)
    return ClaimReviewFeed.objects.create(url=url)


def refreshed(feed) -> ClaimReviewFeed:
    services.feed_refresh(feed.pk)
    return ClaimReviewFeed.objects.get(pk=feed.pk)


# --- Subscribing -----------------------------------------------------------------------------------------------------


def test_an_admin_subscribes_and_the_first_refresh_is_queued_at_commit(
    admin_user, server, sent, django_capture_on_commit_callbacks
):
    url = server.url("/feed.json")
    with django_capture_on_commit_callbacks(execute=True):
        feed = services.feed_subscribe(actor=admin_user, url=url)
    assert feed.active and feed.added_by == admin_user and sent == [(jobs.REFRESH_FEED, feed.pk)]
    assert Activity.objects.filter(action="feed_subscribed", comment=url, actor=admin_user).exists()
    services.feed_unsubscribe(actor=admin_user, feed=feed)
    assert not ClaimReviewFeed.objects.get(pk=feed.pk).active
    assert services.feed_subscribe(actor=admin_user, url=url).active  # taken up again, not a second row
    assert ClaimReviewFeed.objects.count() == 1


def test_only_admins_subscribe(server):
    editor, reviewer = make_user("ed", "Editors"), make_user("rev", "Reviewers")
    for user in (editor, reviewer, None):
        with pytest.raises(PermissionDenied, match="Only admins subscribe to ClaimReview feeds"):
            services.feed_subscribe(actor=user, url=server.url("/feed.json"))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://feeds.example/f.json", "is not an http(s) URL"),
        ("not a url", "is not an http(s) URL"),
        ("https://user:secret@feeds.example/f.json", "URLs with a user name or password (user@host) are not fetched"),
        ("https://feeds.example:8443/f.json", "Port 8443 is not allowed"),
        ("http://10.0.0.5/f.json", "only public addresses may be fetched"),
    ],
)
def test_a_feed_the_fetcher_would_refuse_is_refused_at_once(admin_user, url, message, sent):
    with pytest.raises(ValidationError) as refused:
        services.feed_subscribe(actor=admin_user, url=url)
    assert message in " ".join(refused.value.message_dict["url"])
    assert not ClaimReviewFeed.objects.exists() and sent == []


# --- Refreshing ------------------------------------------------------------------------------------------------------


def test_a_feed_is_imported_and_what_happened_is_recorded(server):
    feed = feed_at(server, "/feed.json", dumps(data_feed(claim_review(1), claim_review(2))))
    feed = refreshed(feed)
    assert (feed.last_status, feed.last_error, feed.last_imported, feed.last_rejected) == ("ok", "", 2, 0)
    assert feed.last_fetched_at is not None
    rows = FactCheck.objects.order_by("url")
    assert [(r.origin, r.feed_id) for r in rows] == [("feed", feed.pk)] * 2
    server.add("/feed.json", dumps(data_feed(claim_review(1), claim_review(2, headline="Updated"))), headers=JSON)
    feed = refreshed(feed)
    assert (feed.last_imported, feed.last_updated, feed.last_skipped) == (0, 1, 1)


def test_json_lines_and_html_feeds(server):
    lines = (json.dumps(claim_review(1)) + "\n" + json.dumps(claim_review(2)) + "\n").encode()
    jsonl = feed_at(server, "/feed.jsonl", lines, headers={"Content-Type": "application/x-ndjson"})
    page = feed_at(server, "/review.html", html_page(claim_review(3)), headers={"Content-Type": "text/html"})
    assert refreshed(jsonl).last_imported == 2
    assert refreshed(page).last_imported == 1
    assert FactCheck.objects.count() == 3


def test_a_paginated_feed_is_followed_on_its_own_origin_only(server):
    page = {
        "count": 3,
        "next": server.url("/api/claimreviews/?offset=2"),
        "results": [claim_review(1), claim_review(2)],
    }
    last = {"count": 3, "next": "https://elsewhere.example/api/claimreviews/?offset=3", "results": [claim_review(3)]}
    feed = ClaimReviewFeed.objects.create(url=server.url("/api/claimreviews/"))

    def answer(handler):  # the page its query string asks for
        body = dumps(last if "offset=2" in handler.path else page)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    server.routes["/api/claimreviews/"] = answer
    feed = refreshed(feed)
    assert (feed.last_status, feed.last_imported) == ("ok", 3)
    assert server.count("/api/claimreviews/") == 2  # the other origin's page was not fetched


def test_an_empty_feed_is_not_a_failure(server):
    feed = refreshed(feed_at(server, "/empty.json", dumps({"@type": "DataFeed", "dataFeedElement": []})))
    assert (feed.last_status, feed.last_imported, feed.last_error) == ("ok", 0, "")


def test_good_records_are_imported_and_the_refused_ones_listed_on_the_feed(server):
    feed = feed_at(server, "/mixed.json", dumps([claim_review(1), claim_review(2, url=None), claim_review(3)]))
    feed = refreshed(feed)
    assert (feed.last_status, feed.last_imported, feed.last_rejected) == ("ok", 2, 1)
    assert feed.last_error == "1 record refused:\n  record 2: ClaimReview without url"


def endless(handler):
    """50 MB of JSON-looking bytes without a Content-Length (read until the connection closes)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    chunk = b"[" + b" " * 65535
    try:
        for _ in range(800):
            handler.wfile.write(chunk)
    except OSError:
        pass  # the fetcher hung up at its cap


def announced(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(50 * 1024 * 1024))
    handler.end_headers()
    handler.wfile.write(b"[")


BAD_FEEDS = [
    (
        "not JSON",
        b"Fact-checks: see our website.",
        {"Content-Type": "text/plain"},
        "is not a ClaimReview feed: not JSON",
    ),
    ("broken JSON", b'{"@type": "DataFeed", "dataFeedElement": [', JSON, "is not a ClaimReview feed: not JSON"),
    ("no ClaimReview", b'{"@type": "WebSite"}', JSON, "JSON without any ClaimReview"),
    ("HTML page", b"<html><body><p>Hello</p></body></html>", {"Content-Type": "text/html"}, "an HTML page without"),
    ("wrong types", dumps([claim_review(1, claimReviewed=5)]), JSON, "No valid ClaimReview in the feed."),
    ("without url", dumps(claim_review(1, url=None)), JSON, "record 1: ClaimReview without url"),
    ("50 MB streamed", endless, None, "The decoded body is larger than the limit of 20971520 bytes (too_large)."),
    ("50 MB announced", announced, None, "The server announced 52428800 bytes, more than the limit of 20971520"),
    ("an image", b"\x89PNG\r\n\x1a\n" + b"0" * 100, {"Content-Type": "image/png"}, "Content type image/png"),
    ("a 404", None, None, "could not be fetched: The server answered 404"),
]


@pytest.mark.parametrize(("kind", "body", "headers", "message"), BAD_FEEDS, ids=[case[0] for case in BAD_FEEDS])
def test_a_bad_feed_is_recorded_with_a_clear_message_and_imports_nothing(server, kind, body, headers, message):
    url = server.url("/feed")
    if callable(body):
        server.routes["/feed"] = body
    elif body is not None:
        server.add("/feed", body, headers=headers)
    feed = refreshed(ClaimReviewFeed.objects.create(url=url))
    assert feed.last_status == "failed", feed.last_error
    assert message in feed.last_error
    assert (feed.last_imported, feed.last_updated) == (0, 0)
    assert not FactCheck.objects.exists()


def test_a_page_that_fails_after_the_first_is_recorded_and_the_first_is_kept(server):
    page = {"next": server.url("/gone/"), "results": [claim_review(1)]}
    feed = refreshed(feed_at(server, "/feed.json", dumps(page)))
    assert (feed.last_status, feed.last_imported) == ("failed", 1)
    assert f"Page 2 ({server.url('/gone/')}) could not be fetched: The server answered 404" in feed.last_error


def test_an_inactive_or_deleted_feed_is_not_fetched(server):
    feed = feed_at(server, "/feed.json", dumps(claim_review(1)))
    ClaimReviewFeed.objects.filter(pk=feed.pk).update(active=False)
    assert services.feed_refresh(feed.pk) == "skipped" and services.feed_refresh(feed.pk + 1000) == "skipped"
    assert server.count("/feed.json") == 0


def test_the_periodic_task_queues_one_refresh_per_active_feed(server, sent):
    one, two, off = (ClaimReviewFeed.objects.create(url=server.url(f"/{n}.json")) for n in (1, 2, 3))
    ClaimReviewFeed.objects.filter(pk=off.pk).update(active=False)
    assert tasks.refresh_feeds() == 2
    assert sent == [(jobs.REFRESH_FEED, one.pk), (jobs.REFRESH_FEED, two.pk)]


def test_beat_refreshes_the_feeds_and_each_task_has_its_queue(settings):
    from factcheck.celery import app

    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule[jobs.REFRESH_FEEDS] == settings.CLAIMREVIEW_FEED_REFRESH_EVERY
    assert schedule[jobs.SYNC_OWN_FACTCHECKS] == settings.CLAIMREVIEW_OWN_SYNC_EVERY
    assert schedule[jobs.EMBED_FACTCHECKS] == settings.CLAIMREVIEW_EMBED_SWEEP_EVERY
    assert "refresh-claimreview-feeds" in settings.CELERY_BEAT_SCHEDULE
    names = {jobs.REFRESH_FEEDS, jobs.REFRESH_FEED, jobs.SYNC_OWN_FACTCHECKS, jobs.EMBED_FACTCHECKS}
    assert names <= set(app.tasks)
    queues = {name: app.amqp.router.route({}, name)["queue"].name for name in names}
    assert queues == {
        jobs.REFRESH_FEED: settings.FETCH_QUEUE,  # over the network, like a capture's fetch
        jobs.REFRESH_FEEDS: settings.EXTRACT_QUEUE,
        jobs.SYNC_OWN_FACTCHECKS: settings.EXTRACT_QUEUE,
        jobs.EMBED_FACTCHECKS: settings.EXTRACT_QUEUE,  # the encoder is CPU work
    }


def test_the_feed_policy_is_the_capture_policy_with_json_and_the_corpus_cap(settings):
    policy = services.feed_policy()
    assert {"application/json", "application/ld+json", "text/html"} <= policy.allowed_content_types
    assert policy.max_body_bytes == settings.CLAIMREVIEW_MAX_BYTES
    assert policy.allow_loopback == settings.FETCH_ALLOW_LOOPBACK and policy.deadline == settings.FETCH_DEADLINE


# --- The Django admin ------------------------------------------------------------------------------------------------


def test_admins_add_and_switch_off_feeds_in_the_admin_and_editors_cannot(
    client, admin_user, server, sent, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    add = reverse("admin:matching_claimreviewfeed_add")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add, {"url": server.url("/feed.json"), "active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    feed = ClaimReviewFeed.objects.get()
    assert feed.added_by == admin_user and sent == [(jobs.REFRESH_FEED, feed.pk)]
    change = reverse("admin:matching_claimreviewfeed_change", args=[feed.pk])
    assert client.post(change, {}).status_code == 302  # "active" unticked
    assert not ClaimReviewFeed.objects.get().active
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change, {"active": "on"})
        changelist = reverse("admin:matching_claimreviewfeed_changelist")
        client.post(changelist, {"action": "refresh_now", "_selected_action": [feed.pk]})
    assert ClaimReviewFeed.objects.get().active and sent[1:] == [(jobs.REFRESH_FEED, feed.pk)] * 2
    refused = client.post(add, {"url": "ftp://feeds.example/f.json", "active": "on"})
    assert refused.status_code == 200 and "is not an http(s) URL" in refused.content.decode()
    client.force_login(make_user("ed", "Editors"))
    assert client.get(add).status_code == 302  # the admin is for admins only: to its login page
    assert client.get(reverse("admin:matching_factcheck_changelist")).status_code == 302
