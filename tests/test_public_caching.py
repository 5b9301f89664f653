"""The public fact-check page: cached per published version, ETag and 304 for anonymous readers, never stale after
a correction or an unpublication."""

import re

import pytest
from django.core.cache import cache

from annotations import services
from tests.api_support import make_published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def published(editor, reviewer, revision, rating):
    return make_published(editor, reviewer, revision, rating)


def url(verdict) -> str:
    return f"/fact-checks/{verdict.claim_id}/"


def test_anonymous_readers_get_an_etag_and_a_304_when_nothing_changed(client, published):
    first = client.get(url(published))
    assert first.status_code == 200 and first["Cache-Control"] == "public, no-cache"
    etag = first["ETag"]
    again = client.get(url(published), headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""


def without_nonce(body: bytes) -> bytes:
    return re.sub(rb'nonce="[^"]*"', b"", body)


def test_a_cached_page_costs_the_stamp_query_only(client, published, django_assert_num_queries):
    body = client.get(url(published)).content
    # The published verdict's version; the page itself comes from the worker's memory (annotations/public_cache.py).
    with django_assert_num_queries(1):
        assert without_nonce(client.get(url(published)).content) == without_nonce(body)


def test_a_correction_changes_the_etag_and_the_page(client, editor, reviewer, published):
    before = client.get(url(published))
    services.verdict_correct(actor=reviewer, verdict=published, note="The share was 7.8%.", explanation="Corrected.")
    after = client.get(url(published), headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert b"Corrected." in after.content and b"The share was 7.8%." in after.content


def test_an_unpublished_fact_check_is_gone_at_once_even_when_cached(client, reviewer, published):
    etag = client.get(url(published))["ETag"]
    services.verdict_unpublish(actor=reviewer, verdict=published, reason="Legal review.")
    response = client.get(url(published), headers={"if-none-match": etag})
    assert response.status_code == 410 and b"Legal review." in response.content


def test_signed_in_readers_get_their_own_page_without_an_etag(client, editor, published):
    client.force_login(editor)
    response = client.get(url(published))
    assert response.status_code == 200 and not response.has_header("ETag")
    assert b"Log out" in response.content and "public" not in response.get("Cache-Control", "")


def test_the_page_keeps_its_script_nonce_and_json_ld(client, published):
    response = client.get(url(published))
    client.get(url(published))
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"'.encode() in response.content
    cached = client.get(url(published))  # from the cache: the nonce is this response's own
    nonce = cached.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"'.encode() in cached.content
    assert b'"@type": "ClaimReview"' in cached.content
