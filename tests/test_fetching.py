"""Tests for annotations.fetching: guard, bounded client and extraction.

Every test runs inside the network safety net from ``fetch_safety`` (autouse fixture ``jail``): it can only
reach the loopback servers it started itself. Servers are real: ``http.server.ThreadingHTTPServer`` for
ordinary responses, a raw socket server for trickling and endless bodies.
"""

from __future__ import annotations

import gzip
import hashlib
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import brotli
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.fetching import (
    BlockedAddress,
    ExtractionError,
    FetchError,
    FetchPolicy,
    FetchRefused,
    TooLarge,
    Unsupported,
    check_address,
    extract,
    fetch,
    guard,
    is_public_address,
    parse_content_type,
    parse_retry_after,
    parse_url,
    sniff_content_type,
)
from tests import fetch_safety
from tests.local_server import QuietHandler, serve_in_background

MB = 1024 * 1024


# --------------------------------------------------------------------------------------------------------
# Fixtures and local servers
# --------------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def jail(monkeypatch):
    with fetch_safety.jailed(monkeypatch) as net:
        yield net


class Server:
    """A ThreadingHTTPServer on 127.0.0.1 with a route table; records every request it gets."""

    def __init__(self, jail: fetch_safety.NetworkJail, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, object] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stop = threading.Event()
        owner = self

        class Handler(QuietHandler):
            def do_GET(self):
                owner.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = owner.routes.get(self.path.split("?")[0])
                if route is None:
                    self.reply(404, {"Content-Type": "text/html"}, b"<html><body>not found</body></html>")
                elif callable(route):
                    route(self)
                else:
                    self.reply(*route)

            def reply(self, status, headers, body=b"", hold=0.0):
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers and not hold:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.flush()
                if hold:  # keep the connection open without sending the body
                    owner.stop.wait(hold)
                    return
                self.wfile.write(body)

        self.httpd = serve_in_background(Handler, tls)
        self.port = self.httpd.server_address[1]
        jail.allow_port(self.port)

    def url(self, path: str = "/", host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"

    def add(self, path: str, status: int = 200, headers: dict | None = None, body: bytes = b"", hold: float = 0):
        self.routes[path] = (status, headers if headers is not None else {"Content-Type": "text/html"}, body, hold)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.routes[path] = (status, {"Location": location, "Content-Type": "text/html"}, b"moved")

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class RawServer:
    """A bare TCP server on 127.0.0.1: ``handler(conn, stop)`` runs in a thread per connection."""

    def __init__(self, jail: fetch_safety.NetworkJail, handler) -> None:
        self.handler = handler
        self.stop = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        jail.allow_port(self.port)
        self.sent = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            read_request(conn)
            self.handler(self, conn)
        except OSError:
            pass
        finally:
            conn.close()

    def send(self, conn: socket.socket, data: bytes) -> None:
        conn.sendall(data)
        self.sent += len(data)

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(2)


def read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


@pytest.fixture
def server(jail):
    srv = Server(jail)
    yield srv
    srv.close()


@pytest.fixture
def raw_server(jail):
    servers: list[RawServer] = []

    def start(handler) -> RawServer:
        srv = RawServer(jail, handler)
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        srv.close()


def local_policy(*ports: int, **overrides) -> FetchPolicy:
    """Policy for the local test servers: loopback allowed, their ports allowed (plus 80/443)."""
    values = {
        "allowed_ports": frozenset({80, 443, *ports}),
        "allow_loopback": True,
        "connect_timeout": 2.0,
        "read_timeout": 3.0,
        "deadline": 10.0,
    }
    values.update(overrides)
    return FetchPolicy(**values)


@pytest.fixture
def fake_dns(monkeypatch):
    """Patch ``guard.resolve`` with a table; returns the list of lookups made."""
    calls: list[tuple[str, int]] = []
    table: dict[str, list[str]] = {}

    def resolve(host: str, port: int) -> list[str]:
        calls.append((host, port))
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(table[host])

    monkeypatch.setattr(guard, "resolve", resolve)
    return table, calls


@pytest.fixture
def no_dns(monkeypatch):
    def resolve(host, port):
        raise AssertionError(f"resolve({host!r}) must not be called")

    monkeypatch.setattr(guard, "resolve", resolve)


def checked_target(url: str, policy: FetchPolicy) -> guard.Target:
    """What fetch() does before it connects, for the first URL and every redirect: parse, then resolve and check."""
    return guard.check_target(parse_url(url, policy), policy)


HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Local test page</title></head><body><article><h1>Heading</h1>"
    + b"<p>"
    + b"The council approved the new budget after a long debate about school funding. " * 8
    + b"</p></article></body></html>"
)


# --------------------------------------------------------------------------------------------------------
# Guard: URL syntax, schemes, ports, literals
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/file", "file:///etc/passwd", "gopher://example.com/", "javascript:alert(1)", "data:,x"],
)
def test_non_http_schemes_are_refused(url, no_dns):
    with pytest.raises(FetchRefused) as info:
        parse_url(url, FetchPolicy())
    assert info.value.code == "bad_scheme"
    assert info.value.transient is False


@pytest.mark.parametrize(
    "url", ["http://user@example.com/", "http://user:secret@example.com/", "https://:pw@example.com/", "http://a@b@c/"]
)
def test_userinfo_is_refused(url, no_dns):
    with pytest.raises(FetchRefused) as info:
        parse_url(url, FetchPolicy())
    assert info.value.code == "userinfo"


def test_port_8080_is_refused_by_default(no_dns):
    with pytest.raises(FetchRefused) as info:
        parse_url("http://example.com:8080/", FetchPolicy())
    assert info.value.code == "bad_port"
    assert "8080" in info.value.message


def test_explicit_default_ports_are_allowed_and_normalised(fake_dns):
    table, _ = fake_dns
    table["example.com"] = ["93.184.216.34"]
    target = checked_target("HTTPS://Example.COM:443/a b?x=ü#frag".replace(" ", "%20"), FetchPolicy())
    assert target.url == "https://example.com/a%20b?x=%C3%BC"
    assert target.port == 443
    assert target.host_header == "example.com"
    assert target.addresses == ("93.184.216.34",)


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",  # decimal
        "http://017700000001/",  # octal
        "http://0x7f000001/",  # hexadecimal
        "http://0x7f.1/",  # short hex
        "http://0177.0.0.1/",  # octal first octet
        "http://127.1/",  # short form
        "http://127.0.1/",
        "http://0x7f.0x0.0x0.0x1/",
        "http://0x7F.0.0.1/",
        "http://2852039166/",  # 169.254.169.254 as a number
        "http://0xa9fea9fe/",
        "http://127.0.0.1./",  # trailing dot is not canonical
        "http://1.2.3.4.5/",
        "http://example.123/",
    ],
)
def test_non_canonical_ipv4_literals_are_refused(url, no_dns):
    for policy in (FetchPolicy(), FetchPolicy(allow_loopback=True)):
        with pytest.raises(FetchRefused) as info:
            parse_url(url, policy)
        assert info.value.code == "non_canonical_ip"
        with pytest.raises(FetchRefused):
            fetch(url, policy)


@pytest.mark.parametrize(
    "url",
    [
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[0:0:0:0:0:ffff:a9fe:a9fe]/",
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
        "http://[2002:a9fe:a9fe::1]/",  # 6to4
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
        "http://[::1]/",
        "http://[::]/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://[fec0::1]/",
        "http://[ff02::1]/",
        "http://[2001:db8::1]/",
    ],
)
def test_ipv6_and_mapped_literals_are_refused(url, no_dns):
    with pytest.raises(BlockedAddress) as info:
        checked_target(url, FetchPolicy(allow_loopback=True))
    assert info.value.code == "blocked_address"
    assert "public" in info.value.message


@pytest.mark.parametrize("url", ["http://[fe80::1%25eth0]/", "http://[::1/", "http://exa mple.com/", "http://a\\b/"])
def test_malformed_hosts_are_refused(url, no_dns):
    with pytest.raises(FetchRefused):
        parse_url(url, FetchPolicy())


def test_fullwidth_digits_normalise_to_the_address_they_spell(no_dns):
    with pytest.raises(BlockedAddress):
        checked_target("http://１２７.０.０.１/", FetchPolicy())


def test_idna_host_is_encoded_before_resolution(fake_dns):
    table, calls = fake_dns
    table["xn--bcher-kva.example"] = ["93.184.216.34"]
    target = checked_target("http://Bücher.example/", FetchPolicy())
    assert target.host == "xn--bcher-kva.example"
    assert calls == [("xn--bcher-kva.example", 80)]


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.0.1",
        "100.64.0.1",
        "100.127.255.254",
        "169.254.169.254",
        "0.0.0.0",
        "0.1.2.3",
        "255.255.255.255",
        "224.0.0.1",
        "240.0.0.1",
        "192.0.2.1",
        "198.51.100.7",
        "203.0.113.9",
        "198.18.0.1",
        "::1",
        "::",
        "::ffff:8.8.8.8",  # even mapped public addresses: never needed, refuse
        "64:ff9b::808:808",
        "64:ff9b:1::1",
        "2002:808:808::1",
        "2001::1",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "fec0::1",
        "ff0e::1",
        "2001:db8::1",
        "3fff::1",
    ],
)
def test_non_public_addresses_are_blocked(address):
    assert not is_public_address(address)
    with pytest.raises(BlockedAddress):
        check_address(address, FetchPolicy())


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450::1"])
def test_public_addresses_pass(address):
    assert is_public_address(address)
    check_address(address, FetchPolicy())


def test_allow_loopback_permits_ipv4_loopback_only():
    policy = FetchPolicy(allow_loopback=True)
    check_address("127.0.0.1", policy)
    check_address("127.5.6.7", policy)
    for address in ("::1", "::ffff:127.0.0.1", "10.0.0.1", "169.254.169.254", "0.0.0.0"):
        with pytest.raises(BlockedAddress):
            check_address(address, policy)


def test_host_resolving_to_loopback_is_refused(fake_dns):
    table, _ = fake_dns
    table["sneaky.example"] = ["127.0.0.1"]
    with pytest.raises(BlockedAddress) as info:
        checked_target("http://sneaky.example/", FetchPolicy())
    assert "sneaky.example resolves to 127.0.0.1" in info.value.message
    assert info.value.address == "127.0.0.1"
    with pytest.raises(BlockedAddress):
        fetch("http://sneaky.example/", FetchPolicy())


@pytest.mark.parametrize(
    "addresses",
    [
        ["93.184.216.34", "10.0.0.5"],
        ["10.0.0.5", "93.184.216.34"],
        ["93.184.216.34", "169.254.169.254"],
        ["2606:2800:220:1:248:1893:25c8:1946", "::1"],
        ["93.184.216.34", "::ffff:10.0.0.1"],
    ],
)
def test_host_resolving_to_a_mix_of_public_and_private_is_refused(fake_dns, addresses):
    table, _ = fake_dns
    table["mixed.example"] = addresses
    with pytest.raises(BlockedAddress):
        checked_target("http://mixed.example/", FetchPolicy())
    with pytest.raises(BlockedAddress):
        fetch("http://mixed.example/", FetchPolicy())


def test_unresolvable_host_is_a_permanent_dns_failure(fake_dns):
    with pytest.raises(FetchError) as info:
        checked_target("http://nowhere.example/", FetchPolicy())
    assert info.value.code == "dns_failure"
    assert info.value.transient is False


def test_public_host_passes_the_guard_and_the_safety_net_stops_the_connection(fake_dns, jail):
    table, calls = fake_dns
    table["public.example"] = ["93.184.216.34"]
    target = checked_target("http://public.example/", FetchPolicy())
    assert target.addresses == ("93.184.216.34",)
    calls.clear()
    with pytest.raises(AssertionError, match="safety net"):
        fetch("http://public.example/", FetchPolicy())
    violations = jail.take_violations()
    assert violations and "93.184.216.34:80" in violations[0]
    assert calls == [("public.example", 80)]  # resolved once; the client connects to the checked address


def test_client_connects_to_the_checked_address_not_a_second_lookup(fake_dns, jail):
    """DNS rebinding: a second lookup would return loopback; the client must use the first answer."""
    _, calls = fake_dns
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])

    def rebinding(host, port):
        calls.append((host, port))
        return next(answers)

    guard.resolve = rebinding  # restored by monkeypatch in fake_dns
    with pytest.raises(AssertionError):
        fetch("http://rebind.example/", FetchPolicy())
    assert "93.184.216.34" in jail.take_violations()[0]
    assert len(calls) == 1


def test_safety_net_refuses_unregistered_loopback_ports_and_dns(jail):
    with pytest.raises(AssertionError):
        socket.create_connection(("127.0.0.1", 9), timeout=0.1)
    with pytest.raises(AssertionError):
        socket.getaddrinfo("example.com", 80)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        with pytest.raises(AssertionError):
            sock.sendto(b"x", ("10.0.0.1", 53))
    finally:
        sock.close()
    assert len(jail.take_violations()) == 3


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_every_integer_form_of_an_ipv4_address_is_refused(no_dns, number):
    policy = FetchPolicy(allow_loopback=True)
    address = ipaddress.IPv4Address(number)
    octets = str(address).split(".")
    forms = [str(number), hex(number), "0" + oct(number)[2:], ".".join(f"0x{int(o):x}" for o in octets)]
    forms.append(".".join(octets[:2]) + "." + str(int(octets[2]) * 256 + int(octets[3])))
    for form in forms:
        with pytest.raises(FetchRefused):
            parse_url(f"http://{form}/", policy)
        assert guard.whatwg_ipv4(form) == address


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(guard._BLOCKED_V4).flatmap(
        lambda net: st.integers(int(net.network_address), int(net.broadcast_address))
    )
)
def test_every_address_in_a_blocked_ipv4_range_is_refused(number):
    address = str(ipaddress.IPv4Address(number))
    assert not is_public_address(address)
    as_mapped = f"::ffff:{address}"
    assert not is_public_address(as_mapped)


def test_policy_validates_its_values():
    with pytest.raises(ValueError):
        FetchPolicy(deadline=0)
    with pytest.raises(ValueError):
        FetchPolicy(allowed_ports={0})
    assert FetchPolicy(allowed_ports=[80]).allowed_ports == frozenset({80})


# --------------------------------------------------------------------------------------------------------
# Client: a successful fetch and what it records
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


# --------------------------------------------------------------------------------------------------------
# Client: redirects checked hop by hop
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
# Client: size, time and content-type limits
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


def test_body_exactly_at_the_cap_is_accepted(server):
    body = b"x" * 1000
    server.add("/", 200, {"Content-Type": "text/plain"}, body)
    assert fetch(server.url("/"), local_policy(server.port, max_body_bytes=1000)).size == 1000
    with pytest.raises(TooLarge):
        fetch(server.url("/"), local_policy(server.port, max_body_bytes=999))


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


# --------------------------------------------------------------------------------------------------------
# Client: HTTP status classification
# --------------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------------
# Client: HTTPS (SNI and certificate verification against the host name, connection to the checked IP)
# --------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=secure.test",
            "-addext", "subjectAltName=DNS:secure.test",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(jail, certificate):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    srv = Server(jail, tls=context)
    srv.sni_names = names
    yield srv
    srv.close()


def test_https_verifies_the_certificate_against_the_host_name_and_sends_sni(tls_server, fake_dns, certificate):
    table, _ = fake_dns
    table["secure.test"] = ["127.0.0.1"]
    tls_server.add("/", 200, {"Content-Type": "text/html"}, HTML_PAGE)
    policy = local_policy(tls_server.port, ca_file=str(certificate[0]))
    result = fetch(tls_server.url("/", host="secure.test", scheme="https"), policy)
    assert result.body == HTML_PAGE
    assert result.connected_ip == "127.0.0.1"
    assert tls_server.sni_names == ["secure.test"]
    assert tls_server.requests[-1][1]["host"] == f"secure.test:{tls_server.port}"


def test_https_with_a_certificate_for_another_name_fails_permanently(tls_server, fake_dns, certificate):
    table, _ = fake_dns
    table["other.test"] = ["127.0.0.1"]
    policy = local_policy(tls_server.port, ca_file=str(certificate[0]))
    with pytest.raises(FetchError) as info:
        fetch(tls_server.url("/", host="other.test", scheme="https"), policy)
    assert info.value.code == "tls_error"
    assert info.value.transient is False


def test_https_with_an_untrusted_certificate_fails(tls_server, fake_dns):
    table, _ = fake_dns
    table["secure.test"] = ["127.0.0.1"]
    with pytest.raises(FetchError) as info:
        fetch(tls_server.url("/", host="secure.test", scheme="https"), local_policy(tls_server.port))
    assert info.value.code == "tls_error"


# --------------------------------------------------------------------------------------------------------
# Sniffing and extraction
# --------------------------------------------------------------------------------------------------------


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


CYRILLIC_TITLE = "Новости дня"
CYRILLIC_TEXT = "Правительство объявило о новых мерах поддержки сельского хозяйства в регионах. "


def cyrillic_page(meta: bool) -> bytes:
    head = '<meta charset="windows-1251">' if meta else ""
    html = (
        f"<html><head>{head}<title>{CYRILLIC_TITLE}</title></head><body><article><h1>Главная новость</h1>"
        f"<p>{CYRILLIC_TEXT * 6}</p><p>Второй абзац с подробностями и цитатами экспертов.</p></article></body></html>"
    )
    return html.encode("cp1251")


def test_windows_1251_page_declared_in_meta_is_extracted_correctly(server):
    server.add("/", 200, {"Content-Type": "text/html"}, cyrillic_page(meta=True))
    result = fetch(server.url("/"), local_policy(server.port))
    doc = extract(result.body, result.content_type_header, result.final_url)
    assert CYRILLIC_TEXT.strip() in doc.text
    assert doc.encoding == "cp1251"
    assert doc.extractor == "trafilatura"
    assert doc.extractor_version


def test_windows_1251_page_declared_in_header_is_extracted_correctly(server):
    server.add("/", 200, {"Content-Type": "text/html; charset=windows-1251"}, cyrillic_page(meta=False))
    result = fetch(server.url("/"), local_policy(server.port))
    assert result.charset == "windows-1251"
    doc = extract(result.body, result.content_type_header, result.final_url)
    assert CYRILLIC_TEXT.strip() in doc.text
    assert doc.title == CYRILLIC_TITLE  # from <title>, not the <h1>


def test_undeclared_windows_1251_is_detected():
    doc = extract(cyrillic_page(meta=False), "text/html", "http://example.test/")
    assert CYRILLIC_TEXT.strip() in doc.text


def test_html_falls_back_to_lxml_when_trafilatura_finds_nothing(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    html = b"<html><head><title>T</title><style>p{}</style></head><body><script>var s=1</script><p>One</p>two</body>"
    doc = extract(html, "text/html; charset=utf-8", "http://example.test/")
    assert doc.extractor == "lxml"
    assert doc.title == "T"
    assert "One" in doc.text and "two" in doc.text
    assert "var s" not in doc.text and "p{}" not in doc.text


def test_xhtml_with_xml_declaration_is_extracted():
    body = (
        b"<?xml version='1.0' encoding='iso-8859-1'?><html xmlns='http://www.w3.org/1999/xhtml'><head>"
        b"<title>Caf\xe9</title></head><body><p>"
        + b"Un caf\xe9 tr\xe8s cher \xe0 Paris. " * 20
        + b"</p></body></html>"
    )
    doc = extract(body, "application/xhtml+xml", "http://example.test/")
    assert "Un café très cher à Paris." in doc.text


def make_pdf(text: str, title: str = "A tiny test PDF") -> bytes:
    """A minimal single-page PDF with one line of Helvetica text, xref offsets computed for real."""
    content = b"BT /F1 18 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + title.encode("latin-1") + b") >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n" % (len(objects) + 1, xref)
    out += b"%%EOF\n"
    return bytes(out)


def test_pdf_is_fetched_and_extracted(server):
    pdf = make_pdf("Hello from a PDF document about budgets")
    server.add("/report.pdf", 200, {"Content-Type": "application/pdf"}, pdf)
    result = fetch(server.url("/report.pdf"), local_policy(server.port))
    assert result.sniffed_content_type == "application/pdf"
    doc = extract(result.body, result.content_type, result.final_url)
    assert "Hello from a PDF document about budgets" in doc.text
    assert doc.title == "A tiny test PDF"
    assert doc.extractor == "pypdf"


def test_damaged_pdf_raises_extraction_error():
    with pytest.raises(ExtractionError) as info:
        extract(b"%PDF-1.4\nthis is not really a pdf", "application/pdf", "")
    assert info.value.code == "extract_failed"


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("Café au lait\nsecond line".encode("cp1252"), "text/plain; charset=windows-1252", "Café au lait"),
        ("Café au lait".encode("cp1252"), "text/plain; charset=iso-8859-1", "Café au lait"),
        ("Grüße aus Köln".encode(), "text/plain", "Grüße aus Köln"),
        ("\ufeffBOM text".encode("utf-16-le"), "text/plain; charset=windows-1252", "BOM text"),
    ],
)
def test_plain_text_is_decoded(body, content_type, expected):
    doc = extract(body, content_type, "")
    assert doc.text.startswith(expected)
    assert doc.title == expected.splitlines()[0]
    assert doc.extractor == "text"


def test_extract_refuses_unknown_types():
    with pytest.raises(ExtractionError) as info:
        extract(b"\x89PNG", "image/png", "")
    assert info.value.code == "unsupported_content_type"
