"""Content types: the declared type refused unread, undeclared types sniffed, binary bodies refused whatever
they are declared as.
"""

from __future__ import annotations

import time

import pytest

from annotations.fetching import Unsupported, fetch, sniff_content_type
from tests.fetching.servers import local_policy


def test_wrong_content_type_is_refused_without_reading_the_body(server):
    server.add("/img", 200, {"Content-Type": "image/png", "Content-Length": "10000000"}, hold=5)
    started = time.monotonic()
    with pytest.raises(Unsupported) as info:
        fetch(server.url("/img"), local_policy(server.port))
    assert time.monotonic() - started < 2
    assert info.value.code == "unsupported_content_type"
    assert info.value.content_type == "image/png"
    assert info.value.transient is False


def test_missing_content_type_is_sniffed(server):
    server.add("/page", 200, {}, b"\n  <!doctype html><html><body><p>Hi there</p></body></html>")
    server.add("/doc", 200, {}, b"%PDF-1.4\n...")
    server.add("/txt", 200, {}, b"Just some words.\n")
    page = fetch(server.url("/page"), local_policy(server.port))
    assert (page.declared_content_type, page.sniffed_content_type, page.content_type) == ("", "text/html", "text/html")
    assert fetch(server.url("/doc"), local_policy(server.port)).content_type == "application/pdf"
    assert fetch(server.url("/txt"), local_policy(server.port)).content_type == "text/plain"


def test_missing_content_type_with_binary_body_is_refused(server):
    server.add("/", 200, {}, b"\x89PNG\r\n\x1a\n" + bytes(2000))
    with pytest.raises(Unsupported) as info:
        fetch(server.url("/"), local_policy(server.port))
    assert info.value.content_type == "image/png"


def test_html_declared_but_png_body_is_refused(server):
    server.add("/", 200, {"Content-Type": "text/html"}, b"\x89PNG\r\n\x1a\n" + bytes(2000))
    with pytest.raises(Unsupported):
        fetch(server.url("/"), local_policy(server.port))


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"<!DOCTYPE html><html>", "text/html"),
        (b"\xef\xbb\xbf  <html lang=en>", "text/html"),
        (b"<HTML>", "text/html"),
        (b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>", "application/xhtml+xml"),
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (b"GIF89a", "image/gif"),
        (b"PK\x03\x04", "application/zip"),
        (b"plain words", "text/plain"),
        (b"\x00\x01\x02binary", "application/octet-stream"),
        (b"", ""),
    ],
)
def test_sniff_content_type(head, expected):
    assert sniff_content_type(head) == expected
