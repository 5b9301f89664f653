"""Celery tasks of the corpus: thin wrappers around matching.services (named in matching.jobs).

A feed's refresh fetches over the network: it goes to the fetch queue (CELERY_TASK_ROUTES), like a capture's fetch,
and bounds its own time (FETCH_DEADLINE per page); the others are housekeeping on the extract queue.
"""

from celery import shared_task

from . import jobs
from .embedding import embed_pending
from .services import feeds, own


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
