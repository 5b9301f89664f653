"""Saying that a claim of ours is the same claim as a fact-check of the corpus: link, change, unlink.

The link is the claim's business as its statement is: the same roles, the same review lock (approval covers what
the claim says, and a published claim's link is in its public ClaimReview, so only reviewers change that one), and
the claim's activity log records every change.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from annotations import jobs as desk_jobs
from annotations.models import Claim
from annotations.services import review_lock_refusal
from annotations.services.claims import locked_claim
from annotations.services.common import record, require

from .. import jobs, rules
from ..models import FactCheck, SameClaim


def _state_refusal(claim: Claim) -> str | None:
    if claim.is_withdrawn:
        return "The claim is withdrawn; restore it before changing its same-claim link."
    if claim.status == Claim.Status.PUBLISHED:
        return None  # reviewers may (LINK_PUBLISHED)
    return review_lock_refusal(claim, "its same-claim link")


def link_refusal(actor, claim: Claim) -> str | None:
    """Why `actor` may not change the claim's link as it stands (a message), or None: what the panel asks."""
    for rule in (rules.LINK_CLAIMS, *([rules.LINK_PUBLISHED] if claim.status == Claim.Status.PUBLISHED else [])):
        if not (actor.is_authenticated and actor.has_perm(rule.perm)):
            return rule.refusal
    return _state_refusal(claim)


def _claim_for_link(actor, claim: Claim) -> Claim:
    """The claim, locked, once the actor may change its link in the claim's present state."""
    require(actor, *rules.LINK_CLAIMS)
    claim = locked_claim(claim)
    if claim.status == Claim.Status.PUBLISHED:
        require(actor, *rules.LINK_PUBLISHED)
    if refusal := _state_refusal(claim):
        raise ValidationError({"claim": refusal})
    return claim


def same_claim_link(*, actor, claim: Claim, fact_check: FactCheck) -> SameClaim:
    """Link the claim to `fact_check` as the same claim (replacing any link it had); a no-op when it is already."""
    if fact_check.claim_id is not None and fact_check.claim_id == claim.pk:
        raise ValidationError({"fact_check": "That is this claim's own fact-check: pick another desk's, or another."})
    with transaction.atomic():
        claim = _claim_for_link(actor, claim)
        link = SameClaim.objects.select_for_update().select_related("fact_check").filter(claim=claim).first()
        if link is not None and link.fact_check_id == fact_check.pk:
            return link
        if link is None:
            link = SameClaim(claim=claim)
            record(actor=actor, action="same_claim_linked", claim=claim, comment=fact_check.url)
        else:
            comment = f"{fact_check.url} (was {link.fact_check.url})"
            record(actor=actor, action="same_claim_changed", claim=claim, comment=comment)
            FactCheck.objects.filter(pk=link.fact_check_id).touch()  # the old one loses the claim's wording
        link.fact_check, link.linked_by, link.linked_at = fact_check, actor, timezone.now()
        link.save()
        FactCheck.objects.filter(pk=fact_check.pk).touch()  # the new one gains it
        if link.embedding is None or link.wording != claim.exact:
            desk_jobs.send_on_commit(jobs.EMBED_FACTCHECKS)  # the worker embeds the claim's wording
    return link


def same_claim_unlink(*, actor, claim: Claim) -> bool:
    """Remove the claim's same-claim link; False (and nothing recorded) when it had none."""
    with transaction.atomic():
        claim = _claim_for_link(actor, claim)
        link = SameClaim.objects.select_for_update().select_related("fact_check").filter(claim=claim).first()
        if link is None:
            return False
        url = link.fact_check.url
        link.delete()  # matching.claim_signals.link_deleted lets the fact-check's kept vectors know
        record(actor=actor, action="same_claim_unlinked", claim=claim, comment=url)
    return True
