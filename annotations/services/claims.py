"""Claims (highlighted spans of a revision) and their evidence."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import roles
from ..limits import MAX_NOTE, MAX_QUOTE, max_length
from ..models import CLAIM_REVIEWED_MAX, ArticleRevision, Claim, Evidence
from ..selectors import source_for_url
from . import captures
from .common import http_url_problem, length_problem, record, require
from .quotes import evidence_check_quote
from .reanchoring import reanchor_on_commit
from .selection import checked_selection

MAX_CLAIMANT = max_length(Claim, "claimant")
EVIDENCE_TEXTS = (("quote", "The quote", MAX_QUOTE), ("note", "The note", MAX_NOTE))  # field, label, limit


def evidence_text_problems(**texts: str | None) -> dict[str, str]:
    """Over-long evidence texts (quote=, note=; None is not given), by field: for adding and editing evidence."""
    problems = {}
    for field, label, limit in EVIDENCE_TEXTS:
        if texts.get(field) is not None and (problem := length_problem(label, texts[field].strip(), limit)):
            problems[field] = problem
    return problems


def claim_create(
    *,
    actor,
    revision: ArticleRevision,
    start: int,
    end: int,
    exact: str,
    prefix: str | None = None,
    suffix: str | None = None,
    claimant: str = "",
    claim_reviewed: str = "",
) -> Claim:
    """Highlight text[start:end] of `revision` as a claim.

    Offsets are Python indices on the stored text. The quote and its context are re-derived from the stored text
    and must agree with what the client saw, so a client working on different text is refused, not trusted.
    """
    require(actor, *roles.CREATE_CLAIMS)
    stored, stored_prefix, stored_suffix = checked_selection(revision.text, start, end, exact, prefix, suffix)
    claimant, claim_reviewed = _clean_claim_fields(claimant=claimant, claim_reviewed=claim_reviewed)
    newest = revision.article.revisions.order_by("-number").first()
    claim = Claim.objects.create(
        article=revision.article,
        revision=revision,
        start=start,
        end=end,
        exact=stored,
        prefix=stored_prefix,
        suffix=stored_suffix,
        claimant=claimant,
        claim_reviewed=claim_reviewed,
        author=actor,
        anchor_revision=revision if newest == revision else None,
        anchor_start=start if newest == revision else None,
        anchor_end=end if newest == revision else None,
        anchor_exact=stored if newest == revision else "",
    )
    record(actor=actor, action="claim_created", claim=claim, to_state=claim.status)
    if newest != revision:
        reanchor_on_commit(article_id=revision.article_id, revision_id=newest.pk)
    return claim


def _clean_claim_fields(*, claimant: str, claim_reviewed: str) -> tuple[str, str]:
    claimant = " ".join((claimant or "").split())
    claim_reviewed = " ".join((claim_reviewed or "").split())
    errors = {}
    if problem := length_problem("The claimant", claimant, MAX_CLAIMANT):
        errors["claimant"] = problem
    if problem := length_problem("The short statement", claim_reviewed, CLAIM_REVIEWED_MAX):
        errors["claim_reviewed"] = problem
    if errors:
        raise ValidationError(errors)
    return claimant, claim_reviewed


def review_lock_refusal(claim: Claim, what: str) -> str | None:
    """Why `what` of the claim cannot change while its verdict is in review or approved (a message), or None.

    Approval covers the claim's words and its evidence, so they change only after a reviewer sends the verdict back.
    """
    if claim.status == Claim.Status.IN_REVIEW:
        return f"The verdict is in review: a reviewer must send it back (request changes) before {what} changes."
    if claim.status == Claim.Status.APPROVED:
        return f"The verdict was approved as it stands: a reviewer must send it back for review before {what} changes."
    return None


def locked_claim(claim: Claim) -> Claim:
    """The claim read again under a lock of its row only (re-anchoring locks the article first, and locking it here
    too could deadlock): a verdict submitted meanwhile is seen, and a submit waits for this write."""
    return Claim.objects.select_for_update(of=("self",)).select_related("article").get(pk=claim.pk)


def claim_update(*, actor, claim: Claim, claimant: str, claim_reviewed: str) -> Claim:
    require(actor, *roles.EDIT_CLAIMS)
    claimant, claim_reviewed = _clean_claim_fields(claimant=claimant, claim_reviewed=claim_reviewed)
    with transaction.atomic():
        claim = locked_claim(claim)
        if claim.status == Claim.Status.PUBLISHED:
            raise ValidationError({"claim": "A published claim cannot be edited."})
        if refusal := review_lock_refusal(claim, "the claimant or short statement"):
            raise ValidationError({"claim": refusal})
        claim.claimant, claim.claim_reviewed = claimant, claim_reviewed
        claim.save(update_fields=["claimant", "claim_reviewed", "updated_at"])
        record(actor=actor, action="claim_edited", claim=claim)
    return claim


# --- Evidence ----------------------------------------------------------------------------------------------------


def evidence_add(*, actor, claim: Claim, url: str, stance: str, quote: str = "", note: str = "") -> Evidence:
    require(actor, *roles.ADD_EVIDENCE)
    url = (url or "").strip()
    errors = {}
    if problem := http_url_problem(url):
        errors["url"] = problem
    if stance not in Evidence.Stance.values:
        errors["stance"] = f"Stance must be one of {', '.join(Evidence.Stance.values)}."
    errors |= evidence_text_problems(quote=quote or "", note=note or "")
    if errors:
        raise ValidationError(errors)
    source = source_for_url(url)
    if source is not None and source.blocked:
        raise ValidationError({"url": f"{source.domain} is blocked in the source registry ({source.name})."})
    with transaction.atomic():
        claim = locked_claim(claim)
        if claim.status == Claim.Status.PUBLISHED:
            raise ValidationError({"claim": "Evidence cannot be added to a published claim."})
        if claim.is_withdrawn:
            raise ValidationError({"claim": "The claim is withdrawn; restore it before adding evidence."})
        if refusal := review_lock_refusal(claim, "its evidence"):
            raise ValidationError({"claim": refusal})
        evidence = Evidence.objects.create(
            claim=claim,
            url=url,
            stance=stance,
            quote=(quote or "").strip(),
            note=(note or "").strip(),
            source=source,
            author=actor,
            capture=captures.capture_request(url),  # a recent capture of the URL, or a new one fetched after commit
        )
        evidence_check_quote(evidence=evidence)  # at once when the capture is already done
        record(actor=actor, action="evidence_added", claim=claim, comment=url)
    return evidence
