"""HTTP statuses that end a fetch: which are transient, and the Retry-After they carry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from annotations.fetching import FetchError, fetch, parse_retry_after
from tests.fetching.servers import local_policy


def test_429_with_retry_after_is_transient(server):
    server.add("/", 429, {"Content-Type": "text/plain", "Retry-After": "120"}, b"slow down")
    with pytest.raises(FetchError) as info:
        fetch(server.url("/"), local_policy(server.port))
    assert (info.value.code, info.value.transient, info.value.retry_after) == ("http_rate_limited", True, 120.0)
    assert info.value.status == 429


def test_429_with_http_date_retry_after(server):
    when = datetime.now(UTC) + timedelta(seconds=90)
    server.add("/", 429, {"Content-Type": "text/plain", "Retry-After": format_datetime(when, usegmt=True)}, b"")
    with pytest.raises(FetchError) as info:
        fetch(server.url("/"), local_policy(server.port))
    assert info.value.transient is True
    assert 80 <= info.value.retry_after <= 91


def test_404_is_permanent(server):
    with pytest.raises(FetchError) as info:
        fetch(server.url("/missing"), local_policy(server.port))
    assert (info.value.code, info.value.transient, info.value.status) == ("http_client_error", False, 404)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_transient(server, status):
    server.add("/", status, {"Content-Type": "text/html", "Retry-After": "30"}, b"oops")
    with pytest.raises(FetchError) as info:
        fetch(server.url("/"), local_policy(server.port))
    assert (info.value.code, info.value.transient, info.value.status) == ("http_server_error", True, status)
    assert info.value.retry_after == 30.0


@pytest.mark.parametrize(("status", "transient"), [(408, True), (403, False), (410, False), (401, False)])
def test_other_4xx_classification(server, status, transient):
    server.add("/", status, {"Content-Type": "text/html"}, b"")
    with pytest.raises(FetchError) as info:
        fetch(server.url("/"), local_policy(server.port))
    assert info.value.transient is transient


def test_retry_after_parsing():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(" 0 ") == 0.0
    assert parse_retry_after("Thu, 01 Jan 2026 00:01:00 GMT", now) == 60.0
    assert parse_retry_after("Wed, 31 Dec 2025 00:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-3") is None
    assert parse_retry_after(None) is None
