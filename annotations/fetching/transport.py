"""One request and its response on a connection to an address the guard has checked, and the redirect chain.

The connection goes to one of :attr:`.guard.Target.addresses` itself (no second DNS lookup; TLS still verifies
the certificate against the host name and sends it as SNI), never through a proxy variable, with one fresh
connection and ``Connection: close`` per hop. Redirects are followed by hand so every hop passes the guard.

Why http.client and not urllib3 (installed, and it can be pointed at an IP with ``server_hostname`` and
``assert_hostname``):

- The SSRF guard is only as good as the pinning: the socket must go to the address checked for *this* fetch.
  urllib3's pools are keyed by host and keep connections alive across requests, so a pooled connection would be
  to an address checked by some earlier fetch; a worker fetches one URL per task, mostly of different hosts, so
  pooling would save little and add state the guard would have to reason about.
- The overall deadline has to sit under every ``recv``: urllib3's ``Timeout`` is per socket operation (``total``
  only shortens the read timeout once, after connecting), so a server trickling a byte per read runs past it.
  :class:`.deadline.GuardedSocket` re-arms each receive with min(read timeout, time left); putting it under
  urllib3 means overriding its ``connect()`` (it wraps TLS itself), i.e. redoing what this module does.
- The byte caps are ours either way: the Content-Length refusal before reading, the decoded-size cap
  (:class:`.decoding.BoundedDecoder`) and the sniff of the first bytes before reading on.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from urllib.parse import urljoin

from . import guard
from .deadline import Clock, GuardedSocket
from .decoding import ACCEPT_ENCODING
from .policy import FetchError, FetchPolicy
from .status import http_status_error, parse_retry_after

try:  # optional: a maintained CA bundle, for machines without a system one
    import certifi
except ImportError:  # pragma: no cover - depends on the environment
    certifi = None

READ_CHUNK = 64 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Response:
    """One response to one request of a fetch: a redirect (``location`` set) or a success carrying the body."""

    url: str  # the (normalised) URL requested
    address: str  # the checked IP address connected to
    status: int
    reason: str
    headers: Mapping[str, str]  # lower-case names; a repeated header's values joined with ", " (as http.client)
    location: str | None = None  # a redirect's target, absolute; None for a response that carries the body
    body: bytes = field(default=b"", repr=False)  # decoded from Content-Encoding, once read

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class RedirectHop:
    """One redirect response: the URL requested, its status, the address connected to, where it pointed."""

    url: str
    status: int
    address: str
    location: str


class Redirects:
    """The redirects one fetch follows: every hop recorded, loops and overlong chains refused."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self.hops: list[RedirectHop] = []
        self._visited: set[str] = set()

    def visit(self, target: guard.Target) -> None:
        self._visited.add(target.url)

    def follow(self, response: Response) -> guard.Target:
        """Record the redirect ``response`` and return where it points (parsed; its addresses are checked when
        it is visited)."""
        self.hops.append(RedirectHop(response.url, response.status, response.address, response.location))
        target = guard.parse_url(response.location, self.policy)  # scheme, userinfo, port, host syntax
        if target.url in self._visited:
            raise FetchError(
                "redirect_loop", f"Redirect loop: {target.url} was already visited", False, url=target.url
            )
        if len(self.hops) > self.policy.max_redirects:
            raise FetchError(
                "too_many_redirects", f"More than {self.policy.max_redirects} redirects", False, url=target.url
            )
        return target


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTPConnection that connects to a given, already-checked address instead of resolving ``host``."""

    def __init__(self, target: guard.Target, address: str, policy: FetchPolicy, clock: Clock) -> None:
        super().__init__(target.host, target.port, timeout=policy.connect_timeout)
        self._target = target
        self._address = address
        self._policy = policy
        self._clock = clock
        self.guarded: GuardedSocket | None = None

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
        self.guarded = GuardedSocket(sock, self._clock, self._policy.read_timeout, self._target.url)
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


def _accept_header(policy: FetchPolicy) -> str:
    order = ["text/html", "application/xhtml+xml", "application/pdf", "text/plain"]
    types = [t for t in order if t in policy.allowed_content_types]
    types += sorted(t for t in policy.allowed_content_types if t not in order)
    return ", ".join(types) + ", */*;q=0.1"


class Exchange:
    """One GET on a fresh connection to one checked address of the target; :attr:`response` is its head."""

    def __init__(self, target: guard.Target, policy: FetchPolicy, clock: Clock) -> None:
        self.target = target
        self.policy = policy
        self.clock = clock
        self.response: Response | None = None
        self._conn: _PinnedHTTPConnection | None = None
        self._http: http.client.HTTPResponse | None = None

    def open(self) -> Response:
        """Connect, send the request and read the status line and headers (not the body).

        Returns a redirect (its Location resolved) or a success; raises the classified error for any other status.
        """
        target = self.target
        conn, address = self._connect()
        conn.putrequest("GET", target.request_target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", target.host_header)
        conn.putheader("User-Agent", self.policy.user_agent)
        conn.putheader("Accept", _accept_header(self.policy))
        conn.putheader("Accept-Encoding", ACCEPT_ENCODING)
        conn.putheader("Connection", "close")
        conn.endheaders()
        self._http = answer = conn.getresponse()
        status = answer.status
        headers = {name.lower(): ", ".join(answer.msg.get_all(name)) for name in answer.msg}
        location = None
        if status in REDIRECT_STATUSES:
            location = (headers.get("location") or "").strip()
            if not location:
                raise FetchError(
                    "bad_redirect", f"Redirect {status} without a Location", False, status=status, url=target.url
                )
            location = urljoin(target.url, location)
        elif not 200 <= status <= 299:
            retry_after = parse_retry_after(headers.get("retry-after"))
            raise http_status_error(status, answer.reason, retry_after, target.url)
        self.response = Response(target.url, address, status, answer.reason, headers, location)
        return self.response

    def _connect(self) -> tuple[_PinnedHTTPConnection, str]:
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
            self._conn = conn
            return conn, address
        raise connect_error(last_error, target.url)

    def chunks(self) -> Iterator[bytes]:
        """The body as it arrives (still Content-Encoded), the deadline checked before every read."""
        answer = self._http
        while True:
            self.clock.check(self.target.url)
            data = answer.read1(READ_CHUNK)
            if not data:
                if answer.length:  # http.client's read1 does not report a short Content-Length body itself
                    raise http.client.IncompleteRead(b"", answer.length)
                return
            yield data

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
        if self._conn is not None:
            self._conn.close()
            if self._conn.guarded is not None:
                self._conn.guarded.force_close()  # even if a half-read response still holds a reader


@contextmanager
def exchange(target: guard.Target, policy: FetchPolicy, clock: Clock) -> Iterator[Exchange]:
    """Open an :class:`Exchange` (its response head read); the body is read inside the block. Socket, TLS and
    HTTP errors, in the block too, come out as classified :class:`FetchError`; the connection is closed after."""
    opened = Exchange(target, policy, clock)
    try:
        with _network_errors(target.url):
            opened.open()
            yield opened
    finally:
        opened.close()


def connect_error(exc: BaseException | None, url: str) -> FetchError:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return FetchError("tls_error", f"TLS certificate verification failed: {exc.verify_message}", False, url=url)
    if isinstance(exc, ssl.SSLError):
        return FetchError("tls_error", f"TLS handshake failed: {exc}", True, url=url)
    if isinstance(exc, TimeoutError):
        return FetchError("connect_timeout", "Timed out connecting to the server", True, url=url)
    if isinstance(exc, ConnectionRefusedError):
        return FetchError("connection_refused", "The server refused the connection", True, url=url)
    return FetchError("connection_failed", f"Could not connect to the server: {exc}", True, url=url)


@contextmanager
def _network_errors(url: str):
    """Translate socket, TLS and HTTP-parsing exceptions into classified :class:`FetchError`s."""
    try:
        yield
    except FetchError:
        raise
    except ssl.SSLError as exc:
        raise connect_error(exc, url) from None
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
