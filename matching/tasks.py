"""Celery tasks of the corpus: thin wrappers around matching.services (named in matching.jobs).

A feed's refresh fetches over the network: it goes to the fetch queue (CELERY_TASK_ROUTES), like a capture's fetch,
and bounds its own time (FETCH_DEADLINE per page); the others are housekeeping on the extract queue, as is claim
matching (the sentence encoder is CPU work).
"""

from celery import shared_task

from . import jobs
from .embedding import embed_pending
from .services import claim_matches, feeds, own


@shared_task(name=jobs.REFRESH_FEEDS)
def refresh_feeds() -> int:
    return feeds.feeds_refresh_all()


@shared_task(name=jobs.REFRESH_FEED)
def refresh_feed(feed_id: int) -> str:
    # Running a message twice (acks_late) only imports the same fact-checks again: idempotent by url.
    return feeds.feed_refresh(feed_id)


@shared_task(name=jobs.SYNC_OWN_FACTCHECKS)
def sync_own_factchecks() -> dict:
    return own.own_factchecks_resync()


@shared_task(name=jobs.EMBED_FACTCHECKS)
def embed_factchecks() -> int:
    # Sent after each import that wrote rows, and by beat as a sweep; two at once take different rows (SKIP LOCKED).
    return embed_pending()


@shared_task(name=jobs.MATCH_CLAIM)
def match_claim(claim_id: int) -> float | None:
    # Sent once a claim is made or its statement edited (matching.claim_signals); the match is stored whole, so
    # running a message twice is harmless.
    match = claim_matches.claim_match_compute(claim_id)
    return match.score if match is not None else None


@shared_task(name=jobs.MATCH_CLAIMS_SWEEP)
def match_claims_sweep() -> int:
    # Beat (MATCH_SWEEP_EVERY): claims never matched, or matched before their text or our corpus changed.
    return claim_matches.claim_matches_sweep()
