"""The limits every fetch and every stage of the capture pipeline work within, from the FETCH_* settings."""

import random
from datetime import timedelta

from django.conf import settings

from ... import fetching


def fetch_policy() -> fetching.FetchPolicy:
    """The SSRF and size/time limits for every fetch, from the FETCH_* settings."""
    return fetching.FetchPolicy(
        allowed_ports=settings.FETCH_ALLOWED_PORTS,
        allow_loopback=settings.FETCH_ALLOW_LOOPBACK,
        connect_timeout=settings.FETCH_CONNECT_TIMEOUT,
        read_timeout=settings.FETCH_READ_TIMEOUT,
        deadline=settings.FETCH_DEADLINE,
        max_body_bytes=settings.FETCH_MAX_BYTES,
        max_redirects=settings.FETCH_MAX_REDIRECTS,
        allowed_content_types=settings.FETCH_CONTENT_TYPES,
        user_agent=settings.FETCH_USER_AGENT,
    )


def lease() -> timedelta:
    """How long a worker holds a stage it claimed: no stage runs longer (see leases)."""
    return timedelta(seconds=settings.FETCH_TIME_LIMIT)


def retry_delay(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter after the `attempt`-th try, at least the server's Retry-After, capped."""
    cap = settings.FETCH_RETRY_BACKOFF_MAX
    delay = min(cap, settings.FETCH_RETRY_BACKOFF * 2 ** max(0, attempt - 1))
    delay = delay / 2 + random.uniform(0, delay / 2)  # jitter spreads retries out
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, cap)
