"""A bounded HTTP client for fetching user-supplied URLs.

:func:`fetch` checks every hop with :mod:`.guard`, exchanges one request per hop with the checked address
(:mod:`.transport`), follows redirects by hand, and enforces a connect timeout, a per-read timeout, an overall
deadline (:mod:`.deadline`), a cap on the decoded body size (:mod:`.decoding`) and a content-type allowlist
(:mod:`.sniffing`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from . import guard, transport
from .deadline import Clock
from .decoding import BoundedDecoder, content_encoding
from .policy import FetchError, FetchPolicy, TooLarge
from .sniffing import SNIFF_BYTES, ContentType, ContentTypeCheck
from .transport import RedirectHop, Response

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


def fetch(url: str, policy: FetchPolicy) -> FetchResult:
    """Fetch ``url`` under ``policy`` and return the decoded body with its provenance.

    Raises :class:`FetchError` (or a subclass: :class:`FetchRefused`, :class:`BlockedAddress`,
    :class:`Unsupported`, :class:`TooLarge`); ``error.transient`` tells whether a retry may help and
    ``error.redirects`` holds the redirect hops followed before the failure.
    """
    clock = Clock(policy.deadline)
    fetched_at = datetime.now(UTC)
    redirects = transport.Redirects(policy)
    try:
        target = guard.parse_url(url, policy)
        while True:
            redirects.visit(target)
            target = guard.check_target(target, policy)  # resolve and check every address of this hop
            clock.check(target.url)
            with transport.exchange(target, policy, clock) as exchange:
                response = exchange.response
                if response.location is None:  # a success: its body ends the fetch
                    types = ContentTypeCheck(
                        response.header("content-type"), policy, url=target.url, status=response.status
                    )
                    response = _read_body(exchange, types, policy)
                    return _result(url, response, types.result(), redirects.hops, clock, fetched_at)
            target = redirects.follow(response)  # a redirect, checked like the first URL at the next round
    except FetchError as exc:
        exc.redirects = tuple(redirects.hops)
        raise


def _read_body(exchange: transport.Exchange, types: ContentTypeCheck, policy: FetchPolicy) -> Response:
    """Read and decode the body of a successful response within the limits; returns the response with it.

    The declared type has passed ``types`` already; the announced length and the coding are checked before
    reading, the sniffed type as soon as its first bytes are decoded.
    """
    response = exchange.response
    url, status = response.url, response.status
    length_header = response.header("content-length")
    if length_header is not None:
        values = {v.strip() for v in length_header.split(",")}
        if len(values) == 1 and (value := values.pop()).isdigit() and int(value) > policy.max_body_bytes:
            raise TooLarge(
                f"The server announced {int(value)} bytes, more than the limit of {policy.max_body_bytes}",
                status=status,
                url=url,
            )
    encoding = content_encoding(response.header("content-encoding"), url, status)
    decoder = BoundedDecoder(encoding, policy.max_body_bytes, url, status, head_size=SNIFF_BYTES)
    for data in exchange.chunks():
        decoder.feed(data)
        if types.sniffed is None and decoder.total >= SNIFF_BYTES:
            types.sniff(decoder.head())
    if types.sniffed is None:
        types.sniff(decoder.head())
    return replace(response, body=decoder.body())


def _result(
    url: str, response: Response, types: ContentType, hops: list[RedirectHop], clock: Clock, fetched_at: datetime
) -> FetchResult:
    body = response.body
    return FetchResult(
        url=url,
        final_url=response.url,
        status=response.status,
        connected_ip=response.address,
        redirects=tuple(hops),
        headers={name: value for name in SELECTED_HEADERS if (value := response.header(name))},
        declared_content_type=types.declared,
        charset=types.charset,
        sniffed_content_type=types.sniffed,
        content_type=types.effective,
        body=body,
        size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        elapsed=clock.elapsed(),
        fetched_at=fetched_at,
    )


__all__ = ["FetchResult", "fetch"]
