"""A bounded HTTP client for fetching user-supplied URLs.

:func:`fetch` checks every hop with :mod:`.guard`, connects to the checked IP address itself (no second DNS
lookup; TLS still verifies the certificate against the host name and sends it as SNI), never consults proxy
environment variables, follows redirects by hand, and enforces a connect timeout, a per-read timeout, an
overall deadline, a cap on the decoded body size and a content-type allowlist.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import socket
import ssl
import time
import zlib
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from . import guard
from .extract import parse_content_type
from .policy import FetchError, FetchPolicy, TooLarge, Unsupported

try:  # optional: brotli decoding
    import brotli
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

try:  # optional: a maintained CA bundle, for machines without a system one
    import certifi
except ImportError:  # pragma: no cover - depends on the environment
    certifi = None

READ_CHUNK = 64 * 1024
DECODE_CHUNK = 64 * 1024
SNIFF_BYTES = 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
SELECTED_HEADERS = (
    "content-type",
    "content-length",
    "content-encoding",
    "last-modified",
    "etag",
    "date",
    "server",
    "retry-after",
)
# Sniffed types that are never accepted, whatever the server declares.
BINARY_TYPES = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "application/zip",
        "application/gzip",
        "video/mp4",
        "audio/mpeg",
        "application/ogg",
        "application/x-executable",
    }
)


@dataclass(frozen=True)
class RedirectHop:
    """One redirect response: the URL requested, its status, the address connected to, where it pointed."""

    url: str
    status: int
    address: str
    location: str


@dataclass(frozen=True)
class FetchResult:
    url: str  # the URL asked for (as given)
    final_url: str  # normalised URL of the response that carried the body
    status: int
    connected_ip: str
    redirects: tuple[RedirectHop, ...]
    headers: dict[str, str]  # SELECTED_HEADERS that were present, lower-case names
    declared_content_type: str  # media type from Content-Type, lower-case, no parameters ('' if none)
    charset: str | None  # charset parameter of Content-Type, if any
    sniffed_content_type: str  # from the first bytes of the body
    content_type: str  # the type used: declared if given, else sniffed
    body: bytes = field(repr=False)  # decoded from Content-Encoding
    size: int = 0
    sha256: str = ""
    elapsed: float = 0.0
    fetched_at: datetime | None = None

    @property
    def content_type_header(self) -> str:
        """Content-Type as the extractor wants it (media type plus charset)."""
        if self.charset:
            return f"{self.content_type}; charset={self.charset}"
        return self.content_type


class _Clock:
    """Overall deadline for one fetch, redirects included."""

    def __init__(self, seconds: float) -> None:
        self.start = time.monotonic()
        self.end = self.start + seconds
        self.seconds = seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def check(self, url: str | None = None) -> float:
        remaining = self.remaining()
        if remaining <= 0:
            raise FetchError(
                "deadline", f"The fetch did not finish within {self.seconds:g} seconds", transient=True, url=url
            )
        return remaining

    def bounded(self, timeout: float, url: str | None = None) -> float:
        return min(timeout, self.check(url))


class _GuardedSocket:
    """Wraps the connected socket so that every receive is bounded by min(read_timeout, time left).

    http.client reads status line, headers, chunk sizes and body through ``makefile('rb')``; giving it a
    buffered reader over :class:`_GuardedRaw` puts the deadline check under every single ``recv``, so a
    server trickling one byte per second is cut off at the deadline wherever it trickles.
    """

    def __init__(self, sock: socket.socket, clock: _Clock, read_timeout: float, url: str) -> None:
        self._sock = sock
        self._clock = clock
        self._read_timeout = read_timeout
        self._url = url
        self._readers = 0  # open makefile() readers; like socket.socket, close() waits for them
        self._closing = False

    def _arm(self) -> None:
        self._sock.settimeout(self._clock.bounded(self._read_timeout, self._url))

    def _timed_out(self) -> FetchError:
        if self._clock.remaining() <= 0:
            return FetchError(
                "deadline", f"The fetch did not finish within {self._clock.seconds:g} seconds", True, url=self._url
            )
        return FetchError(
            "read_timeout", f"No data from the server for {self._read_timeout:g} seconds", True, url=self._url
        )

    def recv_into(self, buffer, nbytes: int = 0) -> int:
        self._arm()
        try:
            return self._sock.recv_into(buffer, nbytes)
        except TimeoutError:
            raise self._timed_out() from None

    def sendall(self, data) -> None:
        self._arm()
        try:
            self._sock.sendall(data)
        except TimeoutError:
            raise self._timed_out() from None

    def makefile(self, mode: str = "r", *args, **kwargs) -> io.BufferedReader:
        if mode.replace("b", "") != "r":
            raise ValueError("only binary reading is supported")
        self._readers += 1
        return io.BufferedReader(_GuardedRaw(self))

    def _reader_closed(self) -> None:
        self._readers -= 1
        if self._closing and self._readers <= 0:
            self._sock.close()

    def close(self) -> None:
        # http.client closes the connection as soon as a "Connection: close" response has begun and hands the
        # socket over to the response's reader, so (as socket.socket does) only close once no reader is left.
        self._closing = True
        if self._readers <= 0:
            self._sock.close()

    def force_close(self) -> None:
        self._closing = True
        self._sock.close()

    def __getattr__(self, name: str):
        return getattr(self._sock, name)


class _GuardedRaw(io.RawIOBase):
    def __init__(self, gsock: _GuardedSocket) -> None:
        self._gsock = gsock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._gsock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            super().close()
            self._gsock._reader_closed()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTPConnection that connects to a given, already-checked address instead of resolving ``host``."""

    def __init__(self, target: guard.Target, address: str, policy: FetchPolicy, clock: _Clock) -> None:
        super().__init__(target.host, target.port, timeout=policy.connect_timeout)
        self._target = target
        self._address = address
        self._policy = policy
        self._clock = clock
        self.guarded: _GuardedSocket | None = None

    def _open_socket(self) -> socket.socket:
        timeout = self._clock.bounded(self._policy.connect_timeout, self._target.url)
        sock = socket.create_connection((self._address, self._target.port), timeout=timeout)
        with suppress(OSError):  # not fatal
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def _wrap(self, sock: socket.socket) -> socket.socket:
        return sock

    def connect(self) -> None:
        sock = self._open_socket()
        try:
            sock = self._wrap(sock)
        except BaseException:
            sock.close()
            raise
        self.guarded = _GuardedSocket(sock, self._clock, self._policy.read_timeout, self._target.url)
        self.sock = self.guarded


def _ssl_context(policy: FetchPolicy) -> ssl.SSLContext:
    cafile = policy.ca_file or (certifi.where() if certifi is not None else None)
    context = ssl.create_default_context(cafile=cafile)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    """Same, with TLS: the certificate is verified against the URL's host name, which is also the SNI name."""

    default_port = 443

    def _wrap(self, sock: socket.socket) -> socket.socket:
        sock.settimeout(self._clock.bounded(self._policy.connect_timeout, self._target.url))
        return _ssl_context(self._policy).wrap_socket(sock, server_hostname=self._target.host.rstrip("."))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date); None if absent or invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit() and value.isascii():
        return float(int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


_HTML_TAGS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
    b"<!--",
)
_BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b\x08", "application/gzip"),
    (b"OggS\x00", "application/ogg"),
    (b"ID3", "audio/mpeg"),
    (b"\x7fELF", "application/x-executable"),
)
_TEXT_CONTROL = set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}


def sniff_content_type(head: bytes) -> str:
    """Guess a media type from the first bytes of a body (a small subset of the WHATWG sniffing rules)."""
    if not head:
        return ""
    if head.startswith((b"\xfe\xff", b"\xff\xfe")):
        return "text/plain"
    data = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    if data.startswith(b"%PDF-") or (b"%PDF-" in data[:SNIFF_BYTES] and not data.lstrip().startswith(b"<")):
        return "application/pdf"
    for signature, media in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return media
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        return "video/mp4"
    stripped = data.lstrip(b" \t\n\r\x0c").lower()
    for tag in _HTML_TAGS:
        if stripped.startswith(tag) and stripped[len(tag) : len(tag) + 1] in (b" ", b">", b"\t", b"\n", b"\r", b""):
            return "text/html"
    if stripped.startswith(b"<?xml"):
        return "application/xhtml+xml" if b"<html" in stripped[:SNIFF_BYTES] else "text/xml"
    if any(byte in _TEXT_CONTROL for byte in data[:SNIFF_BYTES]):
        return "application/octet-stream"
    return "text/plain"


class _BoundedDecoder:
    """Decodes a Content-Encoding incrementally, never producing more than ``cap`` bytes in total.

    Each decompression step yields at most ``DECODE_CHUNK`` bytes, so a compression bomb allocates at most
    cap + one chunk before :class:`TooLarge` is raised.
    """

    def __init__(self, encoding: str, cap: int, url: str, status: int) -> None:
        self.encoding = encoding
        self.cap = cap
        self.url = url
        self.status = status
        self.total = 0
        self.parts: list[bytes] = []
        self._zlib = None
        self._brotli = None
        self._deflate_started = False
        self._head = bytearray()
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(wbits=32 + zlib.MAX_WBITS)  # gzip or zlib header, auto-detected
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj(wbits=zlib.MAX_WBITS)
        elif encoding == "br":
            self._brotli = brotli.Decompressor()

    def _emit(self, data: bytes) -> None:
        if not data:
            return
        self.total += len(data)
        if self.total > self.cap:
            self.parts.clear()
            raise TooLarge(
                f"The decoded body is larger than the limit of {self.cap} bytes", status=self.status, url=self.url
            )
        self.parts.append(data)
        if len(self._head) < SNIFF_BYTES:
            self._head += data[: SNIFF_BYTES - len(self._head)]

    def _error(self, exc: Exception) -> FetchError:
        return FetchError(
            "decode_error",
            f"The body could not be decoded as {self.encoding}: {exc}",
            False,
            status=self.status,
            url=self.url,
        )

    def feed(self, data: bytes) -> None:
        if self._brotli is not None:
            try:
                self._emit(self._brotli.process(data, output_buffer_limit=DECODE_CHUNK))
                while not self._brotli.can_accept_more_data():
                    self._emit(self._brotli.process(b"", output_buffer_limit=DECODE_CHUNK))
            except brotli.error as exc:
                raise self._error(exc) from None
            return
        if self._zlib is None:
            self._emit(data)
            return
        while data and not self._zlib.eof:
            try:
                out = self._zlib.decompress(data, DECODE_CHUNK)
            except zlib.error as exc:
                if self.encoding == "deflate" and not self._deflate_started:
                    # Many servers send raw deflate without the zlib wrapper; retry that way once.
                    self._deflate_started = True
                    self._zlib = zlib.decompressobj(wbits=-zlib.MAX_WBITS)
                    continue
                raise self._error(exc) from None
            self._deflate_started = True
            self._emit(out)
            if not out and self._zlib.unconsumed_tail == data:
                break  # no progress possible
            data = self._zlib.unconsumed_tail

    def body(self) -> bytes:
        return b"".join(self.parts)

    def head(self) -> bytes:
        return bytes(self._head)


def _classify_http_status(status: int, reason: str, retry_after: float | None, url: str) -> FetchError:
    text = f"The server answered {status} {reason}".rstrip()
    if status == 429:
        return FetchError("http_rate_limited", text, True, retry_after, status=status, url=url)
    if status == 408:
        return FetchError("http_timeout", text, True, retry_after, status=status, url=url)
    if 500 <= status <= 599:
        return FetchError("http_server_error", text, True, retry_after, status=status, url=url)
    if 400 <= status <= 499:
        return FetchError("http_client_error", text, False, status=status, url=url)
    return FetchError("http_unexpected_status", text, False, status=status, url=url)


def _content_encoding(value: str | None, url: str, status: int) -> str:
    codings = [c.strip().lower() for c in (value or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return "identity"
    supported = {"gzip", "x-gzip", "deflate"} | ({"br"} if brotli is not None else set())
    if len(codings) > 1 or codings[0] not in supported:
        raise FetchError(
            "unsupported_encoding", f"Unsupported Content-Encoding {value!r}", False, status=status, url=url
        )
    return codings[0]


def _accept_header(policy: FetchPolicy) -> str:
    order = ["text/html", "application/xhtml+xml", "application/pdf", "text/plain"]
    types = [t for t in order if t in policy.allowed_content_types]
    types += sorted(t for t in policy.allowed_content_types if t not in order)
    return ", ".join(types) + ", */*;q=0.1"


class _Hop:
    """One request/response on a fresh connection to one checked address."""

    def __init__(self, target: guard.Target, policy: FetchPolicy, clock: _Clock) -> None:
        self.target = target
        self.policy = policy
        self.clock = clock
        self.conn: _PinnedHTTPConnection | None = None
        self.response: http.client.HTTPResponse | None = None
        self.address = ""
        self.status = 0

    def open(self) -> http.client.HTTPResponse:
        target = self.target
        cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
        last_error: BaseException | None = None
        for address in target.addresses:
            self.clock.check(target.url)
            conn = cls(target, address, self.policy, self.clock)
            try:
                conn.connect()
            except FetchError:
                conn.close()
                raise
            except OSError as exc:
                conn.close()
                last_error = exc
                if isinstance(exc, ssl.SSLError):
                    break  # the host answered; trying other addresses would not help
                continue
            self.conn, self.address = conn, address
            break
        if self.conn is None:
            raise _connect_error(last_error, target.url)
        conn = self.conn
        conn.putrequest("GET", target.request_target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", target.host_header)
        conn.putheader("User-Agent", self.policy.user_agent)
        conn.putheader("Accept", _accept_header(self.policy))
        conn.putheader("Accept-Encoding", "gzip, deflate, br" if brotli is not None else "gzip, deflate")
        conn.putheader("Connection", "close")
        conn.endheaders()
        self.response = conn.getresponse()
        return self.response

    def close(self) -> None:
        if self.response is not None:
            self.response.close()
        if self.conn is not None:
            self.conn.close()
            if self.conn.guarded is not None:
                self.conn.guarded.force_close()  # even if a half-read response still holds a reader


def _connect_error(exc: BaseException | None, url: str) -> FetchError:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return FetchError("tls_error", f"TLS certificate verification failed: {exc.verify_message}", False, url=url)
    if isinstance(exc, ssl.SSLError):
        return FetchError("tls_error", f"TLS handshake failed: {exc}", True, url=url)
    if isinstance(exc, TimeoutError):
        return FetchError("connect_timeout", "Timed out connecting to the server", True, url=url)
    if isinstance(exc, ConnectionRefusedError):
        return FetchError("connection_refused", "The server refused the connection", True, url=url)
    return FetchError("connection_failed", f"Could not connect to the server: {exc}", True, url=url)


def _read_body(hop: _Hop, response: http.client.HTTPResponse, policy: FetchPolicy):
    """Check headers, then read and decode the body within the limits.

    Returns (body, declared type, charset, sniffed type, effective type).
    """
    url, status = hop.target.url, response.status
    declared, charset = parse_content_type(response.getheader("Content-Type"))
    if declared and declared not in policy.allowed_content_types:
        raise Unsupported(f"Content type {declared} is not supported", content_type=declared, status=status, url=url)
    length_header = response.getheader("Content-Length")
    if length_header is not None:
        values = {v.strip() for v in length_header.split(",")}
        if len(values) == 1 and (value := values.pop()).isdigit() and int(value) > policy.max_body_bytes:
            raise TooLarge(
                f"The server announced {int(value)} bytes, more than the limit of {policy.max_body_bytes}",
                status=status,
                url=url,
            )
    encoding = _content_encoding(response.getheader("Content-Encoding"), url, status)
    decoder = _BoundedDecoder(encoding, policy.max_body_bytes, url, status)
    sniffed: str | None = None

    def check_sniffed(head: bytes) -> str:
        kind = sniff_content_type(head)
        effective = declared or kind
        if kind in BINARY_TYPES and kind != declared:
            shown = f"declared as {declared} but" if declared else "not declared and"
            raise Unsupported(f"The content is {shown} looks like {kind}", content_type=kind, status=status, url=url)
        if effective not in policy.allowed_content_types:
            raise Unsupported(
                f"The content type is not declared and looks like {kind or 'nothing (empty body)'}, "
                "which is not supported",
                content_type=kind,
                status=status,
                url=url,
            )
        return kind

    while True:
        hop.clock.check(url)
        data = response.read1(READ_CHUNK)
        if not data:
            if response.length:  # http.client's read1 does not report a short Content-Length body itself
                raise http.client.IncompleteRead(b"", response.length)
            break
        decoder.feed(data)
        if sniffed is None and decoder.total >= SNIFF_BYTES:
            sniffed = check_sniffed(decoder.head())
    if sniffed is None:
        sniffed = check_sniffed(decoder.head())
    return decoder.body(), declared, charset, sniffed, declared or sniffed


def fetch(url: str, policy: FetchPolicy) -> FetchResult:
    """Fetch ``url`` under ``policy`` and return the decoded body with its provenance.

    Raises :class:`FetchError` (or a subclass: :class:`FetchRefused`, :class:`BlockedAddress`,
    :class:`Unsupported`, :class:`TooLarge`); ``error.transient`` tells whether a retry may help and
    ``error.redirects`` holds the redirect hops followed before the failure.
    """
    clock = _Clock(policy.deadline)
    fetched_at = datetime.now(UTC)
    hops: list[RedirectHop] = []
    visited: set[str] = set()
    try:
        target = guard.parse_url(url, policy)
        while True:
            visited.add(target.url)
            target = guard.check_target(target, policy)  # resolve and check every address of this hop
            clock.check(target.url)
            hop = _Hop(target, policy, clock)
            try:
                with _network_errors(target.url):
                    outcome = _exchange(hop, hops)
            finally:
                hop.close()
            if isinstance(outcome, guard.Target):  # a redirect to follow
                if outcome.url in visited:
                    raise FetchError(
                        "redirect_loop", f"Redirect loop: {outcome.url} was already visited", False, url=outcome.url
                    )
                if len(hops) > policy.max_redirects:
                    raise FetchError(
                        "too_many_redirects", f"More than {policy.max_redirects} redirects", False, url=outcome.url
                    )
                target = outcome
                continue
            body, declared, sniffed, effective, charset, headers = outcome
            return FetchResult(
                url=url,
                final_url=target.url,
                status=hop.status,
                connected_ip=hop.address,
                redirects=tuple(hops),
                headers=headers,
                declared_content_type=declared,
                charset=charset,
                sniffed_content_type=sniffed,
                content_type=effective,
                body=body,
                size=len(body),
                sha256=hashlib.sha256(body).hexdigest(),
                elapsed=clock.elapsed(),
                fetched_at=fetched_at,
            )
    except FetchError as exc:
        exc.redirects = tuple(hops)
        raise


def _exchange(hop: _Hop, hops: list[RedirectHop]):
    """Send the request of one hop; return the next target for a redirect, else the body tuple."""
    target, policy = hop.target, hop.policy
    response = hop.open()
    status = hop.status = response.status
    if status in REDIRECT_STATUSES:
        location = (response.getheader("Location") or "").strip()
        if not location:
            raise FetchError(
                "bad_redirect", f"Redirect {status} without a Location", False, status=status, url=target.url
            )
        next_url = urljoin(target.url, location)
        hops.append(RedirectHop(target.url, status, hop.address, next_url))
        return guard.parse_url(next_url, policy)  # scheme, userinfo, port, host syntax; addresses next round
    if not 200 <= status <= 299:
        retry_after = parse_retry_after(response.getheader("Retry-After"))
        raise _classify_http_status(status, response.reason, retry_after, target.url)
    body, declared, charset, sniffed, effective = _read_body(hop, response, policy)
    headers = {name: value for name in SELECTED_HEADERS if (value := response.getheader(name))}
    return body, declared, sniffed, effective, charset, headers


@contextmanager
def _network_errors(url: str):
    """Translate socket, TLS and HTTP-parsing exceptions into classified :class:`FetchError`s."""
    try:
        yield
    except FetchError:
        raise
    except ssl.SSLError as exc:
        raise _connect_error(exc, url) from None
    except http.client.IncompleteRead as exc:
        raise FetchError(
            "incomplete_body", f"The connection closed before the whole body arrived: {exc!r}", True, url=url
        ) from None
    except (ConnectionResetError, BrokenPipeError, ConnectionAbortedError, http.client.RemoteDisconnected) as exc:
        raise FetchError(
            "connection_reset", f"The connection was closed by the server: {exc}", True, url=url
        ) from None
    except http.client.HTTPException as exc:
        raise FetchError("protocol_error", f"Invalid HTTP response: {exc!r}", False, url=url) from None
    except TimeoutError:
        raise FetchError("read_timeout", "Timed out waiting for the server", True, url=url) from None
    except OSError as exc:
        raise FetchError("connection_failed", f"Network error: {exc}", True, url=url) from None


__all__ = ["FetchResult", "RedirectHop", "fetch", "parse_content_type", "parse_retry_after", "sniff_content_type"]
