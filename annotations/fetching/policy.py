"""Fetch configuration and the error type shared by the fetching modules.

Pure Python: no Django import. Django settings build a :class:`FetchPolicy` and hand it in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "application/pdf"})
DEFAULT_USER_AGENT = "FactcheckBot/1.0 (source capture for fact-checking annotations)"


@dataclass(frozen=True)
class FetchPolicy:
    """Limits and permissions for one fetch (every redirect hop included).

    ``allow_loopback`` permits the IPv4 loopback range 127.0.0.0/8 and nothing else (not ``::1``, not
    ``::ffff:127.0.0.1``, no private range); it exists for tests that talk to their own local servers.
    """

    allowed_ports: frozenset[int] = frozenset({80, 443})
    allow_loopback: bool = False
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0
    max_body_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    allowed_content_types: frozenset[str] = DEFAULT_CONTENT_TYPES
    user_agent: str = DEFAULT_USER_AGENT
    ca_file: str | None = field(default=None)

    def __post_init__(self) -> None:
        # Accept any iterable for the set-valued fields, store them frozen and normalised.
        object.__setattr__(self, "allowed_ports", frozenset(int(p) for p in self.allowed_ports))
        object.__setattr__(
            self, "allowed_content_types", frozenset(t.strip().lower() for t in self.allowed_content_types)
        )
        for name in ("connect_timeout", "read_timeout", "deadline"):
            if not getattr(self, name) > 0:
                raise ValueError(f"FetchPolicy.{name} must be positive")
        if self.max_body_bytes <= 0:
            raise ValueError("FetchPolicy.max_body_bytes must be positive")
        if self.max_redirects < 0:
            raise ValueError("FetchPolicy.max_redirects must not be negative")
        if any(not 0 < p < 65536 for p in self.allowed_ports):
            raise ValueError("FetchPolicy.allowed_ports must be TCP ports (1-65535)")


class FetchError(Exception):
    """A fetch that did not produce a usable document.

    ``code`` is a short machine-readable identifier, ``message`` a human-readable explanation,
    ``transient`` says whether trying again later may help, ``retry_after`` is the server's requested
    delay in seconds (429/503 ``Retry-After``) when it gave one. ``status`` is the HTTP status when the
    error comes from a response, ``url`` the URL of the hop that failed.
    """

    def __init__(
        self,
        code: str,
        message: str,
        transient: bool = False,
        retry_after: float | None = None,
        *,
        status: int | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = transient
        self.retry_after = retry_after
        self.status = status
        self.url = url
        self.redirects: tuple = ()  # the redirect hops before the failure (set by fetch)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, "
            f"transient={self.transient!r}, retry_after={self.retry_after!r})"
        )


class FetchRefused(FetchError):
    """The URL or target is not allowed by policy (never transient)."""

    def __init__(self, code: str, message: str, *, url: str | None = None) -> None:
        super().__init__(code, message, transient=False, url=url)


class BlockedAddress(FetchRefused):
    """The host is, or resolves to, an address that is not public (code ``blocked_address``)."""

    def __init__(self, message: str, *, address: str | None = None, url: str | None = None) -> None:
        super().__init__("blocked_address", message, url=url)
        self.address = address


class Unsupported(FetchError):
    """The response's content type is not allowed (code ``unsupported_content_type``); the body was not kept."""

    def __init__(self, message: str, *, content_type: str = "", status: int | None = None, url: str | None = None):
        super().__init__("unsupported_content_type", message, transient=False, status=status, url=url)
        self.content_type = content_type


class TooLarge(FetchError):
    """The body (declared or decoded) exceeds ``max_body_bytes`` (code ``too_large``)."""

    def __init__(self, message: str, *, status: int | None = None, url: str | None = None) -> None:
        super().__init__("too_large", message, transient=False, status=status, url=url)
