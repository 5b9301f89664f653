"""The exchange with a checked address: what a fetch records, redirects checked hop by hop, and the size and time
limits of a connection.
"""

from __future__ import annotations

import hashlib
import socket
import time

import pytest

from annotations.fetching import BlockedAddress, FetchError, FetchRefused, TooLarge, fetch
from tests.fetching.servers import HTML_PAGE, MB, local_policy

# --------------------------------------------------------------------------------------------------------
# A successful fetch and what it records
# --------------------------------------------------------------------------------------------------------


def test_fetch_records_body_headers_hash_and_redirect_chain(server):
    server.redirect("/start", "/middle", 301)
    server.redirect("/middle", server.url("/page"), 307)
    server.add("/page", 200, {"Content-Type": "text/html; charset=utf-8", "ETag": '"abc"'}, HTML_PAGE)
    result = fetch(server.url("/start"), local_policy(server.port))
    assert result.status == 200
    assert result.final_url == server.url("/page")
    assert result.connected_ip == "127.0.0.1"
    assert [(h.url, h.status, h.address) for h in result.redirects] == [
        (server.url("/start"), 301, "127.0.0.1"),
        (server.url("/middle"), 307, "127.0.0.1"),
    ]
    assert result.redirects[0].location == server.url("/middle")
    assert result.body == HTML_PAGE
    assert result.size == len(HTML_PAGE)
    assert result.sha256 == hashlib.sha256(HTML_PAGE).hexdigest()
    assert result.declared_content_type == "text/html"
    assert result.sniffed_content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.headers["etag"] == '"abc"'
    assert result.headers["content-type"] == "text/html; charset=utf-8"
    assert {"date", "server", "content-length"} <= set(result.headers)
    assert result.content_type_header == "text/html; charset=utf-8"


def test_request_carries_host_header_of_the_name_while_connecting_to_the_checked_ip(server, fake_dns):
    table, calls = fake_dns
    table["news.test"] = ["127.0.0.1"]
    server.add("/a", 200, {"Content-Type": "text/plain"}, b"hello")
    result = fetch(f"http://news.test:{server.port}/a?q=1", local_policy(server.port, user_agent="TestAgent/1"))
    assert result.body == b"hello"
    assert result.connected_ip == "127.0.0.1"
    path, headers = server.requests[-1]
    assert path == "/a?q=1"
    assert headers["host"] == f"news.test:{server.port}"
    assert headers["user-agent"] == "TestAgent/1"
    assert "gzip" in headers["accept-encoding"]
    assert calls == [("news.test", server.port)]


def test_proxy_environment_variables_are_ignored(server, monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://10.9.9.9:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    server.add("/", 200, {"Content-Type": "text/plain"}, b"direct")
    assert fetch(server.url("/"), local_policy(server.port)).body == b"direct"


# --------------------------------------------------------------------------------------------------------
# Redirects checked hop by hop
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://10.0.0.1/",
        "http://10.255.255.254/admin",
        "http://172.16.0.1/",
        "http://172.31.1.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://0.0.0.0/",
        "http://[fe80::1]/",
        "https://[64:ff9b::a9fe:a9fe]/",
    ],
)
def test_redirect_to_a_private_address_is_refused_at_the_hop(server, location):
    server.redirect("/go", location)
    with pytest.raises(BlockedAddress) as info:
        fetch(server.url("/go"), local_policy(server.port))
    assert info.value.code == "blocked_address"
    assert info.value.transient is False
    assert [hop.location for hop in info.value.redirects] == [location]
    assert len(server.requests) == 1


def test_redirect_to_a_name_resolving_to_private_is_refused(server, fake_dns):
    table, _ = fake_dns
    table["intranet.example"] = ["192.168.10.10"]
    server.redirect("/go", "http://intranet.example/wiki")
    with pytest.raises(BlockedAddress) as info:
        fetch(server.url("/go"), local_policy(server.port))
    assert "intranet.example resolves to 192.168.10.10" in info.value.message


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ("file:///etc/passwd", "bad_scheme"),
        ("ftp://example.com/", "bad_scheme"),
        ("http://user:pw@127.0.0.1/", "userinfo"),
        ("http://127.0.0.1:22/", "bad_port"),
        ("http://2130706433/", "non_canonical_ip"),
        ("http://0x7f.1/", "non_canonical_ip"),
    ],
)
def test_redirect_to_a_refused_url_is_refused(server, location, code):
    server.redirect("/go", location)
    with pytest.raises(FetchRefused) as info:
        fetch(server.url("/go"), local_policy(server.port))
    assert info.value.code == code


def test_redirect_loop_is_detected(server):
    server.redirect("/a", "/b")
    server.redirect("/b", server.url("/a"))
    with pytest.raises(FetchError) as info:
        fetch(server.url("/a"), local_policy(server.port))
    assert info.value.code == "redirect_loop"
    assert info.value.transient is False
    assert len(server.requests) == 2


def test_too_many_redirects(server):
    for i in range(10):
        server.redirect(f"/r{i}", f"/r{i + 1}")
    with pytest.raises(FetchError) as info:
        fetch(server.url("/r0"), local_policy(server.port, max_redirects=3))
    assert info.value.code == "too_many_redirects"
    assert len(info.value.redirects) == 4
    assert len(server.requests) == 4


def test_redirect_without_location_is_an_error(server):
    server.add("/", 302, {"Content-Type": "text/html"}, b"")
    with pytest.raises(FetchError) as info:
        fetch(server.url("/"), local_policy(server.port))
    assert info.value.code == "bad_redirect"


# --------------------------------------------------------------------------------------------------------
# Size limits
# --------------------------------------------------------------------------------------------------------


def test_huge_declared_content_length_is_refused_without_reading(server):
    server.add("/", 200, {"Content-Type": "text/html", "Content-Length": str(5 * 1024**3)}, hold=5)
    started = time.monotonic()
    with pytest.raises(TooLarge) as info:
        fetch(server.url("/"), local_policy(server.port, max_body_bytes=MB))
    assert time.monotonic() - started < 2  # the body was never waited for
    assert info.value.code == "too_large"
    assert info.value.transient is False


def test_endless_chunked_body_stops_at_the_cap(raw_server):
    def endless(srv, conn):
        srv.send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"%x\r\n%s\r\n" % (16384, b"a" * 16384)
        while not srv.stop.is_set() and srv.sent < 50 * MB:
            srv.send(conn, chunk)

    srv = raw_server(endless)
    with pytest.raises(TooLarge):
        fetch(srv.url("/"), local_policy(srv.port, max_body_bytes=MB))
    assert srv.sent < 10 * MB


def test_body_exactly_at_the_cap_is_accepted(server):
    body = b"x" * 1000
    server.add("/", 200, {"Content-Type": "text/plain"}, body)
    assert fetch(server.url("/"), local_policy(server.port, max_body_bytes=1000)).size == 1000
    with pytest.raises(TooLarge):
        fetch(server.url("/"), local_policy(server.port, max_body_bytes=999))


# --------------------------------------------------------------------------------------------------------
# Time limits and broken connections
# --------------------------------------------------------------------------------------------------------


def test_trickling_body_is_cut_at_the_deadline(raw_server):
    def trickle(srv, conn):
        srv.send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html>")
        while not srv.stop.wait(0.25):
            srv.send(conn, b"a")

    srv = raw_server(trickle)
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(srv.url("/"), local_policy(srv.port, deadline=1.5, read_timeout=5.0))
    elapsed = time.monotonic() - started
    assert info.value.code == "deadline"
    assert info.value.transient is True
    assert 1.4 <= elapsed < 2.5


def test_trickling_headers_are_cut_at_the_deadline(raw_server):
    def trickle(srv, conn):
        srv.send(conn, b"HTTP/1.1 200 OK\r\nX-Slow: ")
        while not srv.stop.wait(0.2):
            srv.send(conn, b"z")

    srv = raw_server(trickle)
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(srv.url("/"), local_policy(srv.port, deadline=1.5, read_timeout=5.0))
    assert info.value.code == "deadline"
    assert time.monotonic() - started < 2.5


def test_silent_server_hits_the_read_timeout(raw_server):
    srv = raw_server(lambda srv, conn: srv.stop.wait(5))
    with pytest.raises(FetchError) as info:
        fetch(srv.url("/"), local_policy(srv.port, read_timeout=0.5, deadline=5.0))
    assert info.value.code == "read_timeout"
    assert info.value.transient is True


def test_connection_refused_is_transient(jail):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    jail.allow_port(port)
    with pytest.raises(FetchError) as info:
        fetch(f"http://127.0.0.1:{port}/", local_policy(port))
    assert info.value.code == "connection_refused"
    assert info.value.transient is True


def test_connection_closed_mid_body_is_transient(raw_server):
    def short(srv, conn):
        srv.send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<html>cut")

    srv = raw_server(short)
    with pytest.raises(FetchError) as info:
        fetch(srv.url("/"), local_policy(srv.port))
    assert info.value.code == "incomplete_body"
    assert info.value.transient is True
