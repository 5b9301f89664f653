"""Which claims repeat one we already checked: each claim's best match among our own published fact-checks of other
claims, stored (ClaimMatch) for the reader's "Already checked" flag, so that no page runs the encoder.

Computed by a worker (matching.tasks.match_claim): after a claim is made or its short statement edited (a receiver
on the claim's save, matching.claim_signals, sends the task once the write commits), and by a periodic sweep that finds
what those messages missed: claims never matched (the broker was down), matched for another text or model, or
matched before our own corpus last changed (a fact-check published, corrected or unpublished since: a claim made
earlier may repeat it now). The sweep takes the newest claims first, SWEEP_BATCH at a time (about 25 ms each).
"""

from __future__ import annotations

from django.db import IntegrityError
from django.db.models import Case, F, Max, Q, TextField, When
from django.utils import timezone

from annotations.models import Claim

from .. import search
from ..encoder import MODEL_NAME
from ..models import ClaimMatch, FactCheck

# How deep in the corpus's ranking to look for one of ours: other desks' checks of the same claim rank beside it.
SEARCH_DEPTH = search.MAX_LIMIT
SWEEP_BATCH = 200


def match_text(claim: Claim) -> str:
    """What a claim is matched by: its short statement, else its quote (as stored: the sweep compares in SQL)."""
    return claim.claim_reviewed or claim.exact


def _own_corpus_changed_at():
    return FactCheck.objects.filter(origin=FactCheck.Origin.OWN).aggregate(newest=Max("updated_at"))["newest"]


def _is_current(match: ClaimMatch | None, text: str, own_changed_at) -> bool:
    return (
        match is not None
        and match.text == text
        and match.model == MODEL_NAME
        and (own_changed_at is None or match.computed_at >= own_changed_at)
    )


def claim_match_compute(claim_id: int, *, force: bool = False) -> ClaimMatch | None:
    """Find and store the claim's best match among our own fact-checks of other claims (None: no such claim, or
    withdrawn). Unless `force`, a match still current (same text and model, newer than our corpus) is kept."""
    claim = Claim.objects.filter(pk=claim_id).only("id", "claim_reviewed", "exact", "withdrawn_at").first()
    if claim is None or claim.is_withdrawn:
        return None
    text = match_text(claim)
    current = ClaimMatch.objects.filter(claim_id=claim_id).first()
    now = timezone.now()  # before the search: a fact-check of ours arriving meanwhile makes this one stale
    if not force and _is_current(current, text, _own_corpus_changed_at()):
        return current
    best = next(
        (
            found
            for found in search.similar(" ".join(text.split()), SEARCH_DEPTH)
            if found.fact_check.origin == FactCheck.Origin.OWN and found.fact_check.claim_id != claim_id
        ),
        None,
    )
    match = ClaimMatch(
        claim_id=claim_id,
        fact_check=best.fact_check if best else None,
        score=best.score if best else None,
        text=text,
        model=MODEL_NAME,
        computed_at=now,
    )
    try:
        # One statement, so that two workers matching the same claim at once both succeed (the last one stays).
        ClaimMatch.objects.bulk_create(
            [match],
            update_conflicts=True,
            unique_fields=["claim"],
            update_fields=["fact_check", "score", "text", "model", "computed_at"],
        )
    except IntegrityError:  # the claim (or the fact-check) was deleted meanwhile
        return None
    return match


def claims_to_match(limit: int = SWEEP_BATCH) -> list[int]:
    """Claims in play whose stored match is missing or stale, newest first (one query, a join of the two tables)."""
    text = Case(When(claim_reviewed="", then=F("exact")), default=F("claim_reviewed"), output_field=TextField())
    # Not equal, written as less or greater: a plain comparison of the joined columns (no negated lookup).
    stale = Q(best_match__isnull=True) | Q(best_match__model__lt=MODEL_NAME) | Q(best_match__model__gt=MODEL_NAME)
    stale |= Q(best_match__text__lt=text) | Q(best_match__text__gt=text)
    own_changed_at = _own_corpus_changed_at()
    if own_changed_at is not None:
        stale |= Q(best_match__computed_at__lt=own_changed_at)
    claims = Claim.objects.filter(stale, withdrawn_at__isnull=True).order_by("-pk")
    return list(claims.values_list("pk", flat=True)[:limit])


def claim_matches_sweep(limit: int = SWEEP_BATCH) -> int:
    """Match the claims whose stored match is missing or stale (at most `limit`); returns how many were matched."""
    done = 0
    for claim_id in claims_to_match(limit):
        if claim_match_compute(claim_id, force=True) is not None:
            done += 1
    return done
