"""Content-Encoding decoded within the cap (compression bombs included), and the Content-Type charset."""

from __future__ import annotations

import gzip
import hashlib
import tracemalloc
import zlib

import brotli
import pytest

from annotations.fetching import FetchError, TooLarge, fetch, parse_content_type
from tests.fetching.servers import HTML_PAGE, MB, local_policy


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "deflate-raw", "br"])
def test_content_encodings_are_decoded(server, encoding):
    if encoding == "gzip":
        payload = gzip.compress(HTML_PAGE)
    elif encoding == "deflate":
        payload = zlib.compress(HTML_PAGE)
    elif encoding == "deflate-raw":
        compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        payload = compressor.compress(HTML_PAGE) + compressor.flush()
    else:
        payload = brotli.compress(HTML_PAGE)
    header = "deflate" if encoding.startswith("deflate") else encoding
    server.add("/", 200, {"Content-Type": "text/html", "Content-Encoding": header}, payload)
    result = fetch(server.url("/"), local_policy(server.port))
    assert result.body == HTML_PAGE
    assert result.sha256 == hashlib.sha256(HTML_PAGE).hexdigest()
    assert result.headers["content-encoding"] == header


def test_unknown_content_encoding_is_refused(server):
    server.add("/", 200, {"Content-Type": "text/html", "Content-Encoding": "compress"}, b"xx")
    with pytest.raises(FetchError) as info:
        fetch(server.url("/"), local_policy(server.port))
    assert info.value.code == "unsupported_encoding"


def test_gzip_bomb_stops_at_the_cap_without_inflating_it(server):
    bomb = gzip.compress(bytes(10 * MB), compresslevel=9)
    assert len(bomb) < 64 * 1024
    server.add("/", 200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb)
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge):
            fetch(server.url("/"), local_policy(server.port, max_body_bytes=MB))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * MB


def test_brotli_bomb_stops_at_the_cap(server):
    bomb = brotli.compress(bytes(20 * MB))
    server.add("/", 200, {"Content-Type": "text/html", "Content-Encoding": "br"}, bomb)
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge):
            fetch(server.url("/"), local_policy(server.port, max_body_bytes=MB))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * MB


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text/html; charset=UTF-8", ("text/html", "UTF-8")),
        ('Text/HTML;Charset="windows-1251"', ("text/html", "windows-1251")),
        ("application/pdf", ("application/pdf", None)),
        ("text/plain; format=flowed; charset=", ("text/plain", None)),
        ("", ("", None)),
        (None, ("", None)),
    ],
)
def test_parse_content_type(value, expected):
    # One parser for the client (the declared type and charset) and for extraction (the stored Content-Type).
    assert parse_content_type(value) == expected
