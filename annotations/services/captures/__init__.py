"""Captures of cited sources: request, fetch, extract, retry, recover, re-check for link rot.

The Celery tasks (annotations.tasks) only pass a capture id to the worker functions here. One module per concern:
policy (the limits), leases (claiming a stage and fencing its writes: how a capture survives duplicates and dead
workers), requesting, stages (fetch and extraction), recovery (the sweep), linkrot. The evidence quote checks the
extraction and the re-check run are the quotes service's (services.quotes); an import of the captured page as an
article is the articles service's.
"""

from .linkrot import capture_recheck, captures_due_for_recheck
from .policy import fetch_policy, retry_delay
from .recovery import captures_recover
from .requesting import capture_request, capture_retry
from .stages import capture_extract, capture_extract_timed_out, capture_fetch

__all__ = [
    "capture_extract",
    "capture_extract_timed_out",
    "capture_fetch",
    "capture_recheck",
    "capture_request",
    "capture_retry",
    "captures_due_for_recheck",
    "captures_recover",
    "fetch_policy",
    "retry_delay",
]
