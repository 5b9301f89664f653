"""After the first draft: withdrawing claims, editing and removing evidence, unpublishing and correcting fact-checks.

The two-person rule holds here too: only a reviewer who did not write the verdict may take a published fact-check
down, correct it, or decide that an article change leaves it standing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import roles
from ..limits import MAX_COMMENT, MAX_EXPLANATION
from ..models import Claim, Correction, Evidence, Rating, Verdict
from ..selectors import source_for_url
from . import captures
from .claims import evidence_text_problems, locked_claim
from .common import http_url_problem, record, require, too_long
from .quotes import evidence_check_quote
from .verdicts import _locked_verdict, _transition, two_person_refusal

EDITOR_WITHDRAWABLE = {Claim.Status.DRAFT, Claim.Status.CHANGES_REQUESTED}


def _text(value, field: str, label: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"Give {what}."})
    too_long(field, label, value, MAX_COMMENT)
    return value


# --- Withdrawing claims ----------------------------------------------------------------------------------------------


def _withdraw_state_refusal(claim: Claim) -> str | None:
    if claim.is_withdrawn:
        return "This claim is already withdrawn."
    if claim.status == Claim.Status.PUBLISHED:
        return "A published claim cannot be withdrawn: a reviewer must unpublish its fact-check first."
    return None


def _withdraw_role_refusal(user, claim: Claim, doing: str = "withdraw") -> str | None:
    rule = roles.WITHDRAW_CLAIMS if doing == "withdraw" else roles.RESTORE_CLAIMS
    if user is None or not user.is_authenticated or not user.has_perm(rule.perm):
        return rule.refusal
    if user.has_perm("annotations.review_verdict"):
        return None  # reviewers and admins: any claim that is not published
    if claim.author_id != user.pk:
        return f"Editors {doing} only the claims they highlighted; ask a reviewer to {doing} this one."
    if claim.status not in EDITOR_WITHDRAWABLE:
        return (
            f"This claim is {claim.get_status_display().lower()}: once its verdict is submitted, only a reviewer "
            f"can {doing} it."
        )
    return None


def withdraw_refusal(user, claim: Claim) -> str | None:
    """Why `user` may not withdraw `claim` (a message), or None if they may."""
    return _withdraw_state_refusal(claim) or _withdraw_role_refusal(user, claim)


def _set_withdrawal(claim: Claim, *, at, by, reason: str) -> None:
    claim.withdrawn_at, claim.withdrawn_by, claim.withdrawal_reason = at, by, reason
    claim.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"])


def claim_withdraw(*, actor, claim: Claim, reason: str) -> Claim:
    """Soft-delete a claim (a duplicate, a mistake): hidden from the desk's lists, kept with its history."""
    with transaction.atomic():
        claim = locked_claim(claim)
        require(actor, *roles.WITHDRAW_CLAIMS)
        if refusal := _withdraw_state_refusal(claim):
            raise ValidationError({"claim": refusal})
        if refusal := _withdraw_role_refusal(actor, claim):
            raise PermissionDenied(refusal)
        reason = _text(reason, "reason", "The reason", "a reason for withdrawing the claim")
        _set_withdrawal(claim, at=timezone.now(), by=actor, reason=reason)
        record(actor=actor, action="claim_withdrawn", claim=claim, to_state="withdrawn", comment=reason)
    return claim


def _restore_state_refusal(claim: Claim) -> str | None:
    return None if claim.is_withdrawn else "This claim is not withdrawn."


def restore_refusal(user, claim: Claim) -> str | None:
    return _restore_state_refusal(claim) or _withdraw_role_refusal(user, claim, "restore")


def claim_restore(*, actor, claim: Claim) -> Claim:
    """Bring a withdrawn claim back, for whoever could withdraw it (reviewers; editors their own draft)."""
    with transaction.atomic():
        claim = locked_claim(claim)
        require(actor, *roles.RESTORE_CLAIMS)
        if refusal := _restore_state_refusal(claim):
            raise ValidationError({"claim": refusal})
        if refusal := _withdraw_role_refusal(actor, claim, "restore"):
            raise PermissionDenied(refusal)
        _set_withdrawal(claim, at=None, by=None, reason="")
        record(actor=actor, action="claim_restored", claim=claim, from_state="withdrawn", to_state=claim.status)
    return claim


# --- Editing and removing evidence -----------------------------------------------------------------------------------


def evidence_refusal(claim: Claim) -> str | None:
    """Why the evidence of `claim` cannot be edited or removed now (a message), or None."""
    if claim.is_withdrawn:
        return "The claim is withdrawn; restore it before changing its evidence."
    if claim.status == Claim.Status.PUBLISHED:
        return "The fact-check is published: its evidence stays as published (unpublish it, or publish a correction)."
    if claim.status == Claim.Status.APPROVED:
        return "The verdict was approved with this evidence; a reviewer must send it back before the evidence changes."
    if claim.status == Claim.Status.IN_REVIEW:
        return "The verdict is in review with this evidence; a reviewer must send it back before the evidence changes."
    return None


def _check_evidence_editable(evidence: Evidence) -> None:
    if refusal := evidence_refusal(evidence.claim):
        raise ValidationError({"claim": refusal})


def evidence_update(*, actor, evidence: Evidence, url=None, stance=None, quote=None, note=None) -> Evidence:
    """Change some of url, stance, quote and note (None keeps a field). A new URL or quote is checked again."""
    require(actor, *roles.EDIT_EVIDENCE)
    with transaction.atomic():
        evidence = (
            Evidence.objects.select_for_update(of=("self", "claim"))
            .select_related("claim__article")
            .get(pk=evidence.pk)
        )
        _check_evidence_editable(evidence)
        changes = {}
        errors = {}
        if url is not None and url.strip() != evidence.url:
            url = url.strip()
            if problem := http_url_problem(url):
                errors["url"] = problem
            else:
                source = source_for_url(url)
                if source is not None and source.blocked:
                    errors["url"] = f"{source.domain} is blocked in the source registry ({source.name})."
                changes["url"] = url
        if stance is not None and stance != evidence.stance:
            if stance not in Evidence.Stance.values:
                errors["stance"] = f"Stance must be one of {', '.join(Evidence.Stance.values)}."
            changes["stance"] = stance
        for name, value in (("quote", quote), ("note", note)):
            if value is not None and value.strip() != getattr(evidence, name):
                changes[name] = value.strip()
        errors |= evidence_text_problems(quote=quote, note=note)
        if errors:
            raise ValidationError(errors)
        if not changes:
            return evidence
        before = {name: getattr(evidence, name) for name in changes}
        for name, value in changes.items():
            setattr(evidence, name, value)
        if "url" in changes:
            evidence.source = source_for_url(evidence.url)
            evidence.capture = captures.capture_request(evidence.url)  # fetched after commit unless recent
        if "url" in changes or "quote" in changes:
            _forget_quote_check(evidence)
        evidence.save()
        if "url" in changes or "quote" in changes:
            evidence_check_quote(evidence=evidence)  # at once when the capture is already done
        comment = "; ".join(f"{name}: {_short(before[name])} -> {_short(changes[name])}" for name in changes)
        record(actor=actor, action="evidence_edited", claim=evidence.claim, comment=comment)
    return evidence


def _forget_quote_check(evidence: Evidence) -> None:
    """The last check was of another quote or source: unchecked until the new pair is checked."""
    evidence.quote_status = Evidence.QuoteStatus.UNCHECKED
    evidence.quote_start = evidence.quote_end = evidence.quote_score = evidence.quote_checked_at = None
    evidence.quote_differences = []


def _short(value: str, limit: int = 200) -> str:
    value = " ".join((value or "").split())
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def evidence_remove(*, actor, evidence: Evidence) -> None:
    """Delete one piece of evidence; the activity keeps its URL and quote."""
    require(actor, *roles.REMOVE_EVIDENCE)
    with transaction.atomic():
        evidence = (
            Evidence.objects.select_for_update(of=("self", "claim"))
            .select_related("claim__article")
            .get(pk=evidence.pk)
        )
        _check_evidence_editable(evidence)
        comment = f"{evidence.get_stance_display()}: {evidence.url}"
        if evidence.quote:
            comment += f" — quote: “{evidence.quote}”"
        claim = evidence.claim
        evidence.delete()
        record(actor=actor, action="evidence_removed", claim=claim, comment=comment)


# --- Unpublishing and correcting -------------------------------------------------------------------------------------


def desk_refusal(user, verdict: Verdict) -> str | None:
    """Why `user` may not unpublish, correct or keep this published fact-check (a message), or None."""
    if user is None or not user.is_authenticated or not user.has_perm(roles.DESK_ACTIONS.perm):
        return roles.DESK_ACTIONS.refusal
    # Who wrote or edited it, or an account they made or gave its role (see services.accounts).
    return two_person_refusal(user, verdict)


def _status_error(action: str, verdict: Verdict) -> ValidationError:
    return ValidationError(
        {"status": f"Only a published fact-check can be {action}; this one is {verdict.get_status_display().lower()}."}
    )


CLEAR_ARTICLE_CHANGE = {"article_changed_at": None, "article_change": ""}


def verdict_unpublish(*, actor, verdict: Verdict, reason: str, version: int | None = None) -> Verdict:
    """Take a published fact-check down: it goes back to its author with the reason and must pass review again.

    The public page then answers 410 Gone with the date and reason, until the verdict is published again.
    """
    with transaction.atomic():
        verdict = _locked_verdict(verdict, version)
        if refusal := desk_refusal(actor, verdict):
            raise PermissionDenied(refusal)
        if verdict.status != Verdict.Status.PUBLISHED:
            raise _status_error("unpublished", verdict)
        reason = _text(reason, "reason", "The reason", "the reason for unpublishing (readers see it)")
        now = timezone.now()
        return _transition(
            actor=actor,
            verdict=verdict,
            to=Verdict.Status.CHANGES_REQUESTED,
            action="verdict_unpublished",
            comment=reason,
            unpublished_at=now,
            unpublish_reason=reason,
            review_comment=reason,
            reviewer=actor,
            reviewed_at=now,
            **CLEAR_ARTICLE_CHANGE,
        )


def verdict_correct(
    *,
    actor,
    verdict: Verdict,
    note: str,
    rating: Rating | None = None,
    explanation: str | None = None,
    version: int | None = None,
) -> Correction:
    """Publish a dated correction note, changing the rating and/or explanation if given; the old ones are kept."""
    with transaction.atomic():
        verdict = _locked_verdict(verdict, version)
        if refusal := desk_refusal(actor, verdict):
            raise PermissionDenied(refusal)
        if verdict.status != Verdict.Status.PUBLISHED:
            raise _status_error("corrected", verdict)
        note = _text(note, "note", "The correction note", "a correction note (readers see it)")
        explanation = (explanation or "").strip() or verdict.explanation
        too_long("explanation", "The explanation", explanation, MAX_EXPLANATION)
        rating = rating or verdict.rating
        if rating.scale_id != verdict.rating.scale_id:
            raise ValidationError({"rating": "Choose a rating of the verdict's own scale."})
        correction = Correction.objects.create(
            verdict=verdict,
            note=note,
            author=actor,
            previous_rating=verdict.rating,
            previous_explanation=verdict.explanation,
        )
        changed = []
        if rating != verdict.rating:
            changed.append(f"rating {verdict.rating.label} -> {rating.label}")
        if explanation != verdict.explanation:
            changed.append("explanation rewritten")
        verdict.rating, verdict.explanation = rating, explanation
        verdict.corrected_at = correction.created_at
        verdict.article_changed_at, verdict.article_change = None, ""
        verdict.version += 1
        verdict.save()
        comment = note + (f" ({'; '.join(changed)})" if changed else "")
        record(actor=actor, action="verdict_corrected", claim=verdict.claim, verdict=verdict, comment=comment)
    return correction


def verdict_keep(*, actor, verdict: Verdict, comment: str, version: int | None = None) -> Verdict:
    """Decide that a change of the article leaves the published fact-check standing (clears the flag)."""
    with transaction.atomic():
        verdict = _locked_verdict(verdict, version)
        if refusal := desk_refusal(actor, verdict):
            raise PermissionDenied(refusal)
        if verdict.article_changed_at is None:
            raise ValidationError({"verdict": "The article has not changed under this fact-check."})
        comment = _text(comment, "comment", "The comment", "a comment saying why the fact-check still stands")
        change = verdict.article_change
        verdict.article_changed_at, verdict.article_change = None, ""
        verdict.version += 1
        verdict.save()
        record(
            actor=actor,
            action="article_change_kept",
            claim=verdict.claim,
            verdict=verdict,
            from_state=change,
            to_state=verdict.status,
            comment=comment,
        )
    return verdict
