"""Every write to the corpus: imports (files and feeds), our own published fact-checks, feed subscriptions, and the
links of our claims to it.

Keyword-only functions with role checks, as annotations.services: PermissionDenied for a role that does not allow
the action, ValidationError for bad input.
"""

from .feeds import feed_policy, feed_refresh, feed_refresh_request, feed_subscribe, feed_unsubscribe, feeds_refresh_all
from .importing import BATCH_SIZE, ImportResult, factchecks_import
from .own import own_factcheck_sync, own_factchecks_resync
from .same_claim import same_claim_link, same_claim_unlink

__all__ = [
    "BATCH_SIZE",
    "ImportResult",
    "factchecks_import",
    "feed_policy",
    "feed_refresh",
    "feed_refresh_request",
    "feed_subscribe",
    "feed_unsubscribe",
    "feeds_refresh_all",
    "own_factcheck_sync",
    "own_factchecks_resync",
    "same_claim_link",
    "same_claim_unlink",
]
