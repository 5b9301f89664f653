"""Our own published fact-checks in the corpus, in step with publishing, corrections and unpublishing.

A published verdict has one FactCheck row (origin "own", its claim set, url the public fact-check page), made of the
very ClaimReview the public page and /api/claimreviews/ publish, read back through the same parser as any other
desk's: the corpus holds what readers see. matching.signals calls `own_factcheck_sync` when a verdict, a claim, an
article, a rating or a source is saved (in the same transaction, so the corpus never disagrees with a committed
publication); `own_factchecks_resync` repairs whatever no signal announced (bulk updates, SQL, a changed SITE_URL),
from the command sync_own_factchecks and a periodic task.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db.models import Max, Min

from annotations import jobs as desk_jobs
from annotations import selectors
from annotations.claimreview import claim_review
from annotations.models import Rating, Verdict

from .. import jobs
from ..claimreview_record import RecordProblem, record_from
from ..models import FactCheck
from .importing import apply_values, record_values

logger = logging.getLogger(__name__)
CHUNK = 500


def _bounds(scale_ids: Iterable[int]) -> dict[int, tuple[int | None, int | None]]:
    rows = (
        Rating.objects.filter(scale_id__in=set(scale_ids)).values("scale_id").annotate(w=Min("value"), b=Max("value"))
    )
    return {row["scale_id"]: (row["w"], row["b"]) for row in rows}


def _values(verdict: Verdict, bounds: tuple) -> tuple[str, dict] | None:
    """(url, columns) of a published verdict's fact-check, from its public ClaimReview."""
    try:
        record = record_from(claim_review(verdict, bounds))
    except RecordProblem:  # e.g. a SITE_URL that is not http(s): the public page's URL is not one the corpus keeps
        logger.exception("The ClaimReview of verdict %s is not one the corpus can keep", verdict.pk)
        return None
    values = record_values(record)
    language = verdict.claim.article.language
    values.update(language=None if language == "und" else language, origin=FactCheck.Origin.OWN, feed_id=None)
    return record.url, values


def _store(verdicts: list[Verdict]) -> dict[str, int]:
    """Create or update the rows of these published verdicts (only what changed is written)."""
    counts = {"created": 0, "updated": 0}
    bounds = _bounds(v.rating.scale_id for v in verdicts)
    wanted = {
        v.claim_id: found for v in verdicts if (found := _values(v, bounds.get(v.rating.scale_id, (None, None))))
    }
    rows = {row.claim_id: row for row in FactCheck.objects.filter(claim_id__in=wanted).defer("embedding", "search")}
    missing = {url for claim_id, (url, _) in wanted.items() if claim_id not in rows or rows[claim_id].url != url}
    # Rows already at those URLs: an imported copy of ours (another desk republished it) is taken over; a row
    # of another claim of ours gives the URL up (it cannot hold it: claim ids are in the URL, so only a changed
    # SITE_URL can make that happen, and that row is written again in its turn).
    taken = {row.url: row for row in FactCheck.objects.filter(url__in=missing).defer("embedding", "search")}
    for claim_id, (url, values) in wanted.items():
        row = rows.get(claim_id)
        holder = taken.get(url)
        if holder is not None and holder.claim_id != claim_id:
            if row is None and holder.claim_id is None:
                row = holder
            else:
                holder.delete()
        created = row is None
        row = row or FactCheck(url=url)
        moved = row.url != url or row.claim_id != claim_id
        row.url, row.claim_id = url, claim_id
        if apply_values(row, values) or moved or created:
            row.save()
            counts["created" if created else "updated"] += 1
    if counts["created"] or counts["updated"]:
        desk_jobs.send_on_commit(jobs.EMBED_FACTCHECKS)
    return counts


def own_factcheck_sync(claim_id: int) -> None:
    """Bring the corpus's row of this claim in line with its verdict: stored while published, removed otherwise."""
    verdict = selectors.published_verdicts().filter(claim_id=claim_id).first()
    if verdict is None:
        FactCheck.objects.filter(claim_id=claim_id).delete()
    else:
        _store([verdict])


def own_factchecks_sync_many(claim_ids: Iterable[int]) -> None:
    for claim_id in sorted(set(claim_ids)):
        own_factcheck_sync(claim_id)


def own_factchecks_resync() -> dict[str, int]:
    """Every published verdict's row, and none for the others; returns how many rows were created, updated, removed."""
    counts = {"created": 0, "updated": 0, "removed": 0}
    published = selectors.published_verdicts().order_by("pk")
    last = 0
    while chunk := list(published.filter(pk__gt=last)[:CHUNK]):  # keyset: no OFFSET scans
        last = chunk[-1].pk
        for name, count in _store(chunk).items():
            counts[name] += count
    stale = FactCheck.objects.filter(origin=FactCheck.Origin.OWN).exclude(
        claim__verdict__status=Verdict.Status.PUBLISHED
    )
    counts["removed"] = stale.delete()[1].get(FactCheck._meta.label, 0)
    return counts
