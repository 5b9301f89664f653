"""Filling the corpus's sentence embeddings: the statement and the headline of each fact-check, as one vector, and
the wording (the quote) of each claim the desk linked to one as the same claim.

Imports leave `embedding` empty (an encode costs ~20 ms of CPU a row, too slow to hold an import's transaction);
`embed_pending` fills what is missing in batches, from the worker after each import and from beat as a sweep.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .encoder import MODEL_NAME, encoder, to_bytes
from .models import FactCheck, SameClaim

BATCH = 256


def document(claim_reviewed: str, headline: str) -> str:
    # One vector of statement and headline (bench/matching.py measures it on CheckThat! 2020).
    return f"{claim_reviewed} {headline}".strip()


def embed_pending(limit: int | None = None) -> int:
    """Embed fact-checks that have no vector (or one from another model), then the wordings of same-claim links that
    have none (or one of another model, or of a quote edited since); returns how many were embedded."""
    done = _in_batches(_embed_factchecks, limit)
    return done + _in_batches(_embed_wordings, None if limit is None else limit - done)


def _in_batches(embed_batch, limit: int | None) -> int:
    """Run `embed_batch(size)` (one transaction, returns how many it embedded) until nothing is left or `limit`."""
    done = 0
    while limit is None or done < limit:
        embedded = embed_batch(BATCH if limit is None else min(BATCH, limit - done))
        if not embedded:
            break
        done += embedded
    return done


@transaction.atomic
def _embed_factchecks(size: int) -> int:
    # SKIP LOCKED: two workers sweeping at once take different rows.
    rows = list(
        FactCheck.objects.select_for_update(skip_locked=True)
        .exclude(embedding_model=MODEL_NAME, embedding__isnull=False)
        .order_by("id")
        .only("id", "claim_reviewed", "headline")[:size]
    )
    if rows:
        vectors = encoder().encode([document(r.claim_reviewed, r.headline) for r in rows])
        now = timezone.now()  # bulk_update skips auto_now; the kept vectors (matching.search) follow updated_at
        for row, vector in zip(rows, vectors, strict=True):
            row.embedding = to_bytes(vector)
            row.embedding_model = MODEL_NAME
            row.updated_at = now
        FactCheck.objects.bulk_update(rows, ["embedding", "embedding_model", "updated_at"])
    return len(rows)


@transaction.atomic
def _embed_wordings(size: int) -> int:
    rows = list(
        SameClaim.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(Q(embedding__isnull=True) | ~Q(embedding_model=MODEL_NAME) | ~Q(wording=F("claim__exact")))
        .order_by("id")
        .only("id", "fact_check_id", "claim__exact")
        .select_related("claim")[:size]
    )
    if rows:
        vectors = encoder().encode([row.claim.exact for row in rows])
        for row, vector in zip(rows, vectors, strict=True):
            row.wording, row.embedding, row.embedding_model = row.claim.exact, to_bytes(vector), MODEL_NAME
        SameClaim.objects.bulk_update(rows, ["wording", "embedding", "embedding_model"])
        FactCheck.objects.filter(pk__in={row.fact_check_id for row in rows}).touch()  # read again, with the wordings
    return len(rows)
