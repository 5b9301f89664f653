"""HTTP statuses that end a fetch, classified: may a retry help, and when (Retry-After)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from .policy import FetchError


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


def http_status_error(status: int, reason: str, retry_after: float | None, url: str) -> FetchError:
    """The error for a final response that is neither a success nor a redirect."""
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
