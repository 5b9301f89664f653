"""Filling the corpus's sentence embeddings: the statement and the headline of each fact-check, as one vector.

Imports leave `embedding` empty (an encode costs ~20 ms of CPU a row, too slow to hold an import's transaction);
`embed_pending` fills what is missing in batches, from the worker after each import and from beat as a sweep.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .encoder import MODEL_NAME, encoder, to_bytes
from .models import FactCheck

BATCH = 256


def document(claim_reviewed: str, headline: str) -> str:
    # One vector of statement and headline (bench/matching.py measures it on CheckThat! 2020).
    return f"{claim_reviewed} {headline}".strip()


def embed_pending(limit: int | None = None) -> int:
    """Embed fact-checks that have no vector (or one from another model); returns how many were embedded."""
    done = 0
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        with transaction.atomic():
            # SKIP LOCKED: two workers sweeping at once take different rows.
            rows = list(
                FactCheck.objects.select_for_update(skip_locked=True)
                .exclude(embedding_model=MODEL_NAME, embedding__isnull=False)
                .order_by("id")
                .only("id", "claim_reviewed", "headline")[:size]
            )
            if not rows:
                break
            vectors = encoder().encode([document(r.claim_reviewed, r.headline) for r in rows])
            now = timezone.now()  # bulk_update skips auto_now; the kept vectors (matching.search) follow updated_at
            for row, vector in zip(rows, vectors, strict=True):
                row.embedding = to_bytes(vector)
                row.embedding_model = MODEL_NAME
                row.updated_at = now
            FactCheck.objects.bulk_update(rows, ["embedding", "embedding_model", "updated_at"])
        done += len(rows)
    return done
