"""Feed refresh by a real Celery worker (a separate process, the fetch queue's threads pool) against a local server.

The worker fixture (tests/test_capture_worker.py) gives the worker queues of its own and lets it fetch from this
test's loopback server only (FETCH_ALLOW_LOOPBACK and the server's port): in production the guard refuses loopback.
"""

import json

import pytest

from annotations.models import Claim
from matching import services, tasks
from matching.models import ClaimReviewFeed, FactCheck
from tests.conftest import make_user
from tests.test_capture_worker import server, wait_for, workers  # noqa: F401 (fixtures)

from .support import claim_review, data_feed, dumps

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
JSON = {"Content-Type": "application/json"}


def refreshed_since(feed_id: int, before) -> ClaimReviewFeed | None:
    feed = ClaimReviewFeed.objects.get(pk=feed_id)
    return feed if feed.last_fetched_at is not None and feed.last_fetched_at != before else None


def test_a_worker_refreshes_subscribed_feeds_good_and_bad(server, workers, settings):
    settings.FETCH_ALLOW_LOOPBACK, settings.FETCH_ALLOWED_PORTS = True, [80, 443, server.port]  # as the worker's
    good = server.add("/feed.json", dumps(data_feed(claim_review(1), claim_review(2))), headers=JSON)
    bad = server.add("/bad.json", b"<!doctype html><html><body>Moved to our new site</body></html>")
    fetcher = workers.start("fetcher", "fetch")
    fetcher.wait_ready()
    admin = make_user("adm", "Admins")
    # Outside a transaction the subscription commits at once, and its first refresh goes to the worker.
    good_feed = services.feed_subscribe(actor=admin, url=good)
    bad_feed = services.feed_subscribe(actor=admin, url=bad)

    assert wait_for(lambda: refreshed_since(good_feed.pk, None) and refreshed_since(bad_feed.pk, None)), (
        workers.output()
    )
    good_feed, bad_feed = ClaimReviewFeed.objects.get(pk=good_feed.pk), ClaimReviewFeed.objects.get(pk=bad_feed.pk)
    assert (good_feed.last_status, good_feed.last_imported, good_feed.last_error) == ("ok", 2, ""), workers.output()
    assert bad_feed.last_status == "failed"
    assert bad_feed.last_error == (
        "The feed is not a ClaimReview feed: an HTML page without any ClaimReview in its JSON-LD "
        "(0 script blocks of type application/ld+json)."
    )
    assert sorted(FactCheck.objects.values_list("url", "feed_id")) == [
        ("https://checker.example/fact-checks/1", good_feed.pk),
        ("https://checker.example/fact-checks/2", good_feed.pk),
    ]

    # Beat's task (run here) sends one refresh per active feed through the broker; the worker takes them.
    lines = "\n".join(json.dumps(r) for r in (claim_review(2, headline="Corrected"), claim_review(3)))
    server.add("/feed.json", lines.encode(), headers={"Content-Type": "application/x-ndjson"})
    services.feed_unsubscribe(actor=admin, feed=bad_feed)
    before = good_feed.last_fetched_at
    assert tasks.refresh_feeds.apply().get() == 1
    assert wait_for(lambda: refreshed_since(good_feed.pk, before)), workers.output()
    good_feed.refresh_from_db()
    assert (good_feed.last_imported, good_feed.last_updated, good_feed.last_skipped) == (1, 1, 0)
    assert FactCheck.objects.get(url__endswith="/2").headline == "Corrected"
    assert server.count("/feed.json") == 2 and server.count("/bad.json") == 1
    assert not Claim.objects.exists()  # (nothing of the desk was touched)
