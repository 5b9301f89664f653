"""The public fact-check page answered from the worker's memory (annotations/public_cache.py): one query, a fresh
CSP nonce per answer, never stale after a change of the verdict, and only for what is the same for everyone."""

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.models import Rating
from tests.test_public_caching import empty_cache, published, url  # noqa: F401 - the same fixtures and address

pytestmark = pytest.mark.django_db


def nonces(response) -> tuple[str, set[str]]:
    header = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    return header, set(re.findall(r'nonce="([^"]*)"', response.content.decode()))


def test_every_answer_from_memory_has_its_own_nonce_in_header_and_body(client, published, django_assert_num_queries):
    first = client.get(url(published))
    with django_assert_num_queries(2):  # the published version, once per answer
        second = client.get(url(published))
        third = client.get(url(published), headers={"if-none-match": '"something-else"'})
    seen = set()
    for response in (first, second, third):
        header, in_body = nonces(response)
        assert in_body == {header}
        seen.add(header)
    assert len(seen) == 3
    assert second["ETag"] == first["ETag"] and second["Cache-Control"] == "public, no-cache"
    assert int(second["Content-Length"]) == len(second.content)
    assert second["X-Frame-Options"] == first["X-Frame-Options"]


def test_a_conditional_get_from_memory_answers_304(client, published, django_assert_num_queries):
    etag = client.get(url(published))["ETag"]
    with django_assert_num_queries(1):
        response = client.get(url(published), headers={"if-none-match": etag})
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag and response["Cache-Control"] == "public, no-cache"


def test_a_correction_is_served_at_once(client, reviewer, published):
    client.get(url(published))
    client.get(url(published))
    services.verdict_correct(actor=reviewer, verdict=published, note="The share was 7.8%.", explanation="Corrected.")
    assert b"The share was 7.8%." in client.get(url(published)).content


def test_unpublishing_takes_the_page_down_at_once(client, reviewer, published):
    client.get(url(published))
    services.verdict_unpublish(actor=reviewer, verdict=published, reason="Legal review.")
    assert client.get(url(published)).status_code == 410


def test_a_page_stored_by_another_worker_is_replaced_when_the_stamp_changes(client, reviewer, published):
    """Another worker's correction reaches this worker's memory through the stamp query, not through a signal."""
    from django.test import Client

    other_worker = Client()
    client.get(url(published))
    services.verdict_correct(actor=reviewer, verdict=published, note="Fixed the year.", explanation="Corrected again.")
    assert b"Fixed the year." in other_worker.get(url(published)).content
    assert b"Fixed the year." in client.get(url(published)).content


def test_signed_in_readers_and_query_strings_go_through_the_whole_stack(client, editor, published):
    client.get(url(published))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(published) + "?utm_source=feed").status_code == 200
    assert len(queries) > 1  # the view ran
    client.force_login(editor)
    response = client.get(url(published))
    assert b"Log out" in response.content and not response.has_header("ETag")


def test_a_rating_renamed_in_the_admin_shows_once_the_stored_page_is_rechecked(client, published, monkeypatch):
    """What the page shows beyond the verdict row (the rating scale, sources, names) is in the whole stamp, checked
    again when a stored page is INPUTS_RECHECK seconds old."""
    from annotations import public_cache

    client.get(url(published))
    Rating.objects.filter(pk=published.rating_id).update(label="Renamed rating")
    assert b"Renamed rating" not in client.get(url(published)).content  # within INPUTS_RECHECK
    monkeypatch.setattr(public_cache, "INPUTS_RECHECK", 0)
    assert b"Renamed rating" in client.get(url(published)).content


def test_a_recheck_that_finds_nothing_changed_keeps_the_stored_page(client, published, monkeypatch):
    from annotations import public_cache

    client.get(url(published))
    monkeypatch.setattr(public_cache, "INPUTS_RECHECK", 0)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(published)).status_code == 200
    assert len(queries) == 2  # the version, then the whole stamp: no rendering


def test_a_stored_page_expires_after_the_ttl(client, published, monkeypatch):
    from annotations import public_cache

    client.get(url(published))
    monkeypatch.setattr(public_cache, "PUBLIC_PAGE_TTL", 0)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(published)).status_code == 200
    assert len(queries) > 1  # rendered again


def test_a_page_answered_with_a_cookie_is_not_stored(client, published):
    """An answer that sets a cookie is someone's own (a CSRF or session cookie): never replayed to others."""
    from django.http import HttpResponse

    from annotations.public_cache import PublicPageCache

    def view_setting_a_cookie(request):
        response = HttpResponse("mine")
        response.set_cookie("csrftoken", "x")
        return response

    middleware = PublicPageCache(view_setting_a_cookie)
    request = RequestFactory().get(url(published))
    middleware(request)
    assert len(middleware.pages) == 0
