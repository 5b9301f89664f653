"""Verdicts and their review workflow: draft, in review, changes requested, approved, published."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import blind_review, roles
from ..limits import MAX_COMMENT, MAX_EXPLANATION
from ..models import Claim, Rating, Verdict
from . import notifications
from .accounts import sponsors_of
from .approval import approval_fingerprint, changes_since_approval
from .checklist import Checklist, publication_checklist, short_statement_problem
from .common import Conflict, record, require, too_long


class ChecklistBlocked(ValidationError):
    """Approve or publish refused: the checklist has blockers and no override reason was given."""

    def __init__(self, checklist: Checklist, doing: str):
        self.checklist = checklist
        super().__init__(
            {
                "override": f"Not {doing}: {checklist.blocker_summary()}. "
                "Fix this, or give a reason to override the checklist."
            }
        )


def _in_words(verdict: Verdict) -> str:
    return verdict.get_status_display().lower()  # "in review", not "in_review"


def _require_short_statement(claim: Claim, doing: str) -> None:
    if problem := short_statement_problem(claim, doing):
        raise ValidationError({"claim_reviewed": problem})


def _check_list(*, actor, verdict: Verdict, override: str, doing: str, action: str) -> None:
    """Refuse unless the checklist is clear of blockers or `override` gives a reason, which is recorded."""
    checklist = publication_checklist(verdict)
    if checklist.refusals:
        field = "claim_reviewed" if checklist.refusals[0].code == "short_statement_missing" else "claim"
        raise ValidationError({field: [item.message for item in checklist.refusals]})
    override = (override or "").strip()
    too_long("override", "The override reason", override, MAX_COMMENT)
    if not checklist.blockers:
        return
    if not override:
        raise ChecklistBlocked(checklist, doing)
    blockers = ", ".join(item.code for item in checklist.blockers)
    record(
        actor=actor,
        action="checklist_override",
        claim=verdict.claim,
        verdict=verdict,
        comment=f"{action} despite {blockers} ({checklist.blocker_summary()}). Reason: {override}",
    )


def _locked_verdict(verdict: Verdict, version: int | None) -> Verdict:
    current = Verdict.objects.select_for_update().select_related("claim").get(pk=verdict.pk)
    if version is not None and current.version != version:
        raise Conflict(
            f"This verdict was changed by someone else (version {current.version}, you had {version}). "
            "Your text is kept below; review the current verdict and save again.",
            current_version=current.version,
        )
    return current


def _transition(*, actor, verdict: Verdict, to: str, action: str, comment: str = "", **fields) -> Verdict:
    if verdict.claim.withdrawn_at is not None:
        raise ValidationError({"claim": "This claim was withdrawn; restore it before its verdict moves on."})
    before = verdict.status
    verdict.status = to
    if to == Verdict.Status.PUBLISHED:  # published again after being taken down
        verdict.unpublished_at, verdict.unpublish_reason = None, ""
    for name, value in fields.items():
        setattr(verdict, name, value)
    verdict.version += 1
    verdict.save()
    claim = verdict.claim
    # The database gave the claim its verdict's status (a trigger, migration 0012); callers see it on this object.
    claim.refresh_from_db(fields=["status", "updated_at"])
    activity = record(
        actor=actor, action=action, claim=claim, verdict=verdict, from_state=before, to_state=to, comment=comment
    )
    notifications.verdict_moved(actor=actor, verdict=verdict, action=action, activity=activity)
    return verdict


def _checked_text(actor, rating: Rating, explanation: str) -> str:
    require(actor, *roles.WRITE_VERDICTS)
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError({"explanation": "Explain the verdict."})
    too_long("explanation", "The explanation", explanation, MAX_EXPLANATION)
    if rating is None:
        raise ValidationError({"rating": "Choose a rating."})
    return explanation


def _create(*, actor, claim: Claim, rating: Rating, explanation: str) -> Verdict:
    verdict = Verdict.objects.create(claim=claim, rating=rating, explanation=explanation, author=actor)
    record(actor=actor, action="verdict_created", claim=claim, verdict=verdict, to_state=verdict.status)
    return verdict


def verdict_create(*, actor, claim: Claim, rating: Rating, explanation: str) -> Verdict:
    """Propose the claim's verdict. A claim has one verdict: a second is refused, naming the one to edit instead."""
    explanation = _checked_text(actor, rating, explanation)
    with transaction.atomic():
        Claim.objects.select_for_update().get(pk=claim.pk)  # proposals for one claim wait for each other here
        existing = Verdict.objects.filter(claim=claim).values_list("pk", flat=True).first()
        if existing is not None:
            raise ValidationError(
                {
                    "claim": f"This claim already has a verdict ({existing}), and a claim has only one: "
                    "edit that verdict, with the version you read, instead of proposing another."
                }
            )
        return _create(actor=actor, claim=claim, rating=rating, explanation=explanation)


def verdict_save(*, actor, claim: Claim, rating: Rating, explanation: str, version: int | None = None) -> Verdict:
    """Create the claim's verdict or edit it while it is a draft or sent back. `version` guards concurrent edits:
    0 says the caller read no verdict, so one saved meanwhile is a conflict, not overwritten."""
    explanation = _checked_text(actor, rating, explanation)
    with transaction.atomic():
        Claim.objects.select_for_update().get(pk=claim.pk)
        existing = Verdict.objects.filter(claim=claim).first()
        if existing is None:
            return _create(actor=actor, claim=claim, rating=rating, explanation=explanation)
        verdict = _locked_verdict(existing, version)
        if verdict.status not in {Verdict.Status.DRAFT, Verdict.Status.CHANGES_REQUESTED}:
            raise ValidationError({"verdict": f"A verdict that is {_in_words(verdict)} cannot be edited."})
        verdict.rating = rating
        verdict.explanation = explanation
        verdict.version += 1
        verdict.save()
        record(actor=actor, action="verdict_edited", claim=claim, verdict=verdict, to_state=verdict.status)
        return verdict


def verdict_submit(*, actor, verdict: Verdict, version: int | None = None) -> Verdict:
    require(actor, *roles.SUBMIT_VERDICTS)
    with transaction.atomic():
        verdict = _locked_verdict(verdict, version)
        if verdict.status not in {Verdict.Status.DRAFT, Verdict.Status.CHANGES_REQUESTED}:
            raise ValidationError({"status": f"Only a draft can be submitted; this one is {_in_words(verdict)}."})
        _require_short_statement(verdict.claim, "submitting")
        return _transition(
            actor=actor,
            verdict=verdict,
            to=Verdict.Status.IN_REVIEW,
            action="verdict_submitted",
            submitted_at=timezone.now(),
            # A resubmitted verdict waits for a new decision: whoever sent it back is not its reviewer now (their
            # comment stays in the history).
            reviewer=None,
            reviewed_at=None,
            review_comment="",
        )


def _contributors(verdict: Verdict) -> set[int]:
    edits = verdict.activity.filter(action__in=["verdict_created", "verdict_edited"], actor__isnull=False)
    return {verdict.author_id, *edits.values_list("actor_id", flat=True)}


def sponsor_refusal(user, verdict: Verdict, contributors: set[int] | None = None) -> str | None:
    """Why `user` is no second person for `verdict`: whoever wrote or edited it made their account or gave it its
    role (directly or through another account they made), or None."""
    contributors = _contributors(verdict) if contributors is None else contributors
    sponsors = sponsors_of(user) & contributors
    if not sponsors:
        return None
    names = ", ".join(sorted(get_user_model().objects.filter(pk__in=sponsors).values_list("username", flat=True)))
    return (
        f"Two-person rule: {names} wrote or edited this verdict and made your account or gave it its role, "
        "so another reviewer must decide."
    )


def two_person_refusal(user, verdict: Verdict) -> str | None:
    """Why the two-person rule bars `user` from reviewing `verdict` (a message), or None."""
    contributors = _contributors(verdict)
    if user.pk in contributors:
        return "Two-person rule: you wrote or edited this verdict, so another reviewer must decide."
    return sponsor_refusal(user, verdict, contributors)


def has_contributed(user, verdict: Verdict) -> bool:
    """Whether `user` wrote or edited the verdict, or was made an account or given a role by someone who did."""
    return two_person_refusal(user, verdict) is not None


def _require_review(actor, verdict: Verdict, doing: str, statuses=(Verdict.Status.IN_REVIEW,)) -> None:
    require(actor, "annotations.review_verdict", f"Only reviewers {doing}.")
    if verdict.status not in statuses:
        raise ValidationError(
            {"status": f"Only a verdict in review can be reviewed; this one is {_in_words(verdict)}."}
        )
    if refusal := two_person_refusal(actor, verdict):
        raise PermissionDenied(refusal)


def verdict_approve(
    *, actor, verdict: Verdict, comment: str = "", override: str = "", version: int | None = None
) -> Verdict:
    """Approve a verdict in review. Checklist blockers need `override`, a reason that the activity log keeps."""
    comment = (comment or "").strip()
    too_long("comment", "The comment", comment, MAX_COMMENT)
    with transaction.atomic():
        verdict = _locked_verdict(verdict, version)
        _require_review(actor, verdict, "approve verdicts")
        refusal, waiting = blind_review.approval_refusal(actor, verdict.claim)
        if refusal:
            raise PermissionDenied(refusal)
        if waiting:
            raise ValidationError({"second_review": waiting})
        _check_list(actor=actor, verdict=verdict, override=override, doing="approved", action="Approved")
        return _transition(
            actor=actor,
            verdict=verdict,
            to=Verdict.Status.APPROVED,
            action="verdict_approved",
            comment=comment,
            reviewer=actor,
            reviewed_at=timezone.now(),
            review_comment=comment,
            approved_fingerprint=approval_fingerprint(verdict),  # what publishing must find unchanged
        )


def verdict_request_changes(*, actor, verdict: Verdict, comment: str, version: int | None = None) -> Verdict:
    """Send a verdict in review, or an approved one not yet published, back to its author with a comment."""
    comment = (comment or "").strip()
    too_long("comment", "The comment", comment, MAX_COMMENT)
    with transaction.atomic():
        verdict = _locked_verdict(verdict, version)
        # An approved verdict can be sent back too: it is the way to change its claim or evidence before publishing.
        _require_review(actor, verdict, "send verdicts back", (Verdict.Status.IN_REVIEW, Verdict.Status.APPROVED))
        if not comment:
            raise ValidationError({"comment": "Say what needs to change."})
        return _transition(
            actor=actor,
            verdict=verdict,
            to=Verdict.Status.CHANGES_REQUESTED,
            action="verdict_changes_requested",
            comment=comment,
            review_comment=comment,
            reviewer=actor,
            reviewed_at=timezone.now(),
        )


def verdict_publish(*, actor, verdict: Verdict, override: str = "", version: int | None = None) -> Verdict:
    """Publish an approved verdict. Checklist blockers need `override`, a reason that the activity log keeps."""
    require(actor, *roles.PUBLISH_VERDICTS)
    with transaction.atomic():
        verdict = _locked_verdict(verdict, version)
        if verdict.status != Verdict.Status.APPROVED:
            raise ValidationError(
                {"status": f"Only an approved verdict can be published; this one is {_in_words(verdict)}."}
            )
        if refusal := sponsor_refusal(actor, verdict):
            raise PermissionDenied(refusal)
        _require_unchanged_since_approval(verdict)
        _check_list(actor=actor, verdict=verdict, override=override, doing="published", action="Published")
        return _transition(
            actor=actor,
            verdict=verdict,
            to=Verdict.Status.PUBLISHED,
            action="verdict_published",
            published_at=timezone.now(),
        )


def _require_unchanged_since_approval(verdict: Verdict) -> None:
    """Publishing publishes exactly what was approved: refuse, naming what changed, if anything did."""
    if verdict.approved_fingerprint is None:
        changed = "There is no record of what was approved"
    elif changes := changes_since_approval(verdict):
        changed = f"Since it was approved, {', '.join(changes)} changed"
    else:
        return
    raise ValidationError(
        {"verdict": f"Not published: {changed}. A reviewer must send it back for review and approve it again."}
    )
