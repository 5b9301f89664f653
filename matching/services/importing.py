"""Importing ClaimReviews into the corpus: batches upserted by URL, one transaction per batch.

Idempotent: a URL seen again updates its row (or leaves it, when nothing changed); our own fact-checks are never
overwritten by an import (the sync of our verdicts owns them, see own.py). A batch the database refuses is rolled
back whole and reported with the positions of its first and last record: nothing is ever half-written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from annotations import jobs as desk_jobs
from annotations import languages
from annotations.services.common import require

from .. import jobs, rules
from ..claimreview_parse import RecordError
from ..claimreview_record import FactCheckRecord
from ..models import ClaimReviewFeed, FactCheck

BATCH_SIZE = 500
# The columns a record writes (url is the key). The matching step's embedding is emptied when the text it was made
# of changes, so that it is computed again.
WRITTEN = (
    "publisher_name",
    "publisher_url",
    "claim_reviewed",
    "headline",
    "rating_name",
    "rating_value",
    "rating_best",
    "rating_worst",
    "date_published",
    "claimant",
    "appearance_urls",
    "language",
    "origin",
    "feed_id",
)
EMBEDDED = ("claim_reviewed", "headline")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0  # valid, not written: unchanged, repeated within the input, or one of our own fact-checks
    errors: list[RecordError] = field(default_factory=list)

    @property
    def valid(self) -> int:
        return self.created + self.updated + self.skipped

    def add(self, other: ImportResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.skipped += other.skipped
        self.errors.extend(other.errors)

    def summary(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.skipped} skipped, {len(self.errors)} refused"


def record_values(record: FactCheckRecord) -> dict:
    """The columns of a record, other than url, origin and feed."""
    try:
        language = languages.normalise(record.language) if record.language else None
    except ValueError:
        language = None  # not a tag after all: stored as unknown rather than refusing the fact-check
    return {
        "publisher_name": record.publisher_name,
        "publisher_url": record.publisher_url,
        "claim_reviewed": record.claim_reviewed,
        "headline": record.headline,
        "rating_name": record.rating_name,
        "rating_value": record.rating_value,
        "rating_best": record.rating_best,
        "rating_worst": record.rating_worst,
        "date_published": record.date_published,
        "claimant": record.claimant,
        "appearance_urls": list(record.appearance_urls),
        "language": language,
    }


def apply_values(row: FactCheck, values: dict) -> bool:
    """Set `values` on `row`; whether anything changed (the embedding is emptied if its text did)."""
    if all(getattr(row, name) == value for name, value in values.items()):
        return False
    if any(getattr(row, name) != values[name] for name in EMBEDDED if name in values):
        row.embedding, row.embedding_model = None, ""
    for name, value in values.items():
        setattr(row, name, value)
    return True


def factchecks_import(
    *,
    actor,
    items: Iterable[FactCheckRecord | RecordError],
    origin: str = FactCheck.Origin.FILE,
    feed: ClaimReviewFeed | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Store the records (from claimreview_parse) in batches; the errors among `items` are passed through.

    `actor` None means the system (the command, the feed refresh); users need the admins' permission.
    """
    if actor is not None:
        require(actor, *rules.IMPORT_FACTCHECKS)
    if origin not in (FactCheck.Origin.FILE, FactCheck.Origin.FEED) or (feed is None) == (origin == "feed"):
        raise ValueError("Imports come from a file (no feed) or from a feed (with its subscription).")
    result = ImportResult()
    batch: list[FactCheckRecord] = []
    for item in items:
        if isinstance(item, RecordError):
            result.errors.append(item)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            result.add(_store(batch, origin, feed))
            batch = []
    if batch:
        result.add(_store(batch, origin, feed))
    if result.created or result.updated:
        desk_jobs.send_on_commit(jobs.EMBED_FACTCHECKS)  # new or changed statements need their vectors
    return result


def _store(batch: list[FactCheckRecord], origin: str, feed: ClaimReviewFeed | None) -> ImportResult:
    """One batch in one transaction: all of it is stored, or none of it (and the batch is reported)."""
    done = ImportResult()
    latest: dict[str, FactCheckRecord] = {}
    for record in batch:
        if record.url in latest:
            done.skipped += 1  # the same fact-check twice in one batch: its last copy is stored
        latest[record.url] = record
    source = {"origin": origin, "feed_id": feed.pk if feed else None}
    now = timezone.now()
    try:
        with transaction.atomic():
            existing = FactCheck.objects.select_for_update().filter(url__in=latest).defer("embedding", "search")
            rows = {row.url: row for row in existing}
            new, changed = [], []
            for url, record in latest.items():
                values = {**record_values(record), **source}
                row = rows.get(url)
                if row is None:
                    new.append(FactCheck(url=url, **values))
                elif row.origin == FactCheck.Origin.OWN or not apply_values(row, values):
                    done.skipped += 1
                else:
                    row.updated_at = now
                    changed.append(row)
            # A row another import inserted since the read above is updated, not a failed batch.
            FactCheck.objects.bulk_create(
                new, update_conflicts=True, unique_fields=["url"], update_fields=[*WRITTEN, "updated_at"]
            )
            FactCheck.objects.bulk_update(changed, [*WRITTEN, "updated_at", "embedding", "embedding_model"])
    except (DataError, IntegrityError) as error:
        where = batch[0].position if len(batch) == 1 else f"{batch[0].position} to {batch[-1].position}"
        reason = f"not imported: the database refused this batch of {len(batch)} ({str(error).strip()[:300]})"
        return ImportResult(errors=[RecordError(where, reason)])
    done.created, done.updated = len(new), len(changed)
    return done
