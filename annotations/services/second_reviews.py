"""Blind second review: asking for an independent second rating of a claim, choosing its checker, and the rating.

The desk's setting (admins) asks it of every claim; a claim's own switch (reviewers) overrides the setting either
way. A reviewer names the second checker: someone who writes verdicts and is not the verdict's author or an
editor of it, nor the claim's checker or reviewer. The checker rates without seeing the first verdict
(blind_review.py keeps it from them) and the rating, once saved, is final: after it they see the first verdict,
and a rating changed then would no longer be independent. Approving refuses while a required rating is missing
(verdicts.verdict_approve), and the second checker does not approve the claim they rated.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import roles
from ..limits import MAX_EXPLANATION
from ..models import Assignment, DeskSettings, Rating, SecondReview, Verdict
from . import notifications
from .assignments import UNSET, _lookup_user
from .claims import locked_claim
from .common import record, require, too_long
from .notifications import _statement
from .verdicts import has_contributed


def _tell(recipient, *, actor, claim, activity, message: str) -> None:
    notifications.notify(
        recipient=recipient,
        kind=notifications.Kind.SECOND_REVIEW,
        event_key=f"activity:{activity.pk}",
        message=message,
        actor=actor,
        claim=claim,
    )


def desk_settings_save(*, actor, blind_second_review: bool) -> DeskSettings:
    """Change the desk's setting: whether every claim needs an independent second rating (admins)."""
    require(actor, *roles.MANAGE_DESK)
    with transaction.atomic():
        desk = DeskSettings.objects.select_for_update().get_or_create(pk=1)[0]
        if desk.blind_second_review != bool(blind_second_review):
            desk.blind_second_review = bool(blind_second_review)
            desk.save()
            record(
                actor=actor,
                action="desk_settings_changed",
                comment=f"blind second review: {'on' if desk.blind_second_review else 'off'}",
            )
    return desk


def _locked_review(claim) -> tuple:
    claim = locked_claim(claim)  # one writer per claim at a time: switch, checker and rating do not race
    review, _ = SecondReview.objects.select_for_update().get_or_create(claim_id=claim.pk)
    return claim, review


def _refuse_if_rated(review: SecondReview, doing: str) -> None:
    if review.rated_at is not None:
        raise ValidationError({"second_review": f"The second rating is given already, so you cannot {doing}."})


def _refuse_own(actor, review: SecondReview) -> None:
    # Otherwise the second checker could waive their rating, or hand it on, and read the first verdict unrated.
    if review.checker_id == actor.pk and review.rated_at is None:
        raise PermissionDenied("You are this claim's second checker: another reviewer changes its second review.")


def second_review_switch(*, actor, claim, required: bool | None) -> SecondReview:
    """Set the claim's own switch: True asks for a second rating, False waives it, None follows the desk."""
    require(actor, *roles.ASK_SECOND_RATINGS)
    if required not in (True, False, None):
        raise ValidationError({"required": "Say yes, no, or the desk's setting."})
    with transaction.atomic():
        claim, review = _locked_review(claim)
        _refuse_own(actor, review)
        if review.required is required:
            return review
        _refuse_if_rated(review, "change whether it is needed")
        review.required = required
        review.save(update_fields=["required", "updated_at"])
        words = {True: "asked", False: "waived", None: "as the desk's setting says"}[required]
        record(actor=actor, action="second_review_switched", claim=claim, comment=f"second rating: {words}")
    return review


def _checker_refusal(checker, claim) -> str | None:
    name = checker.get_username()
    if not checker.is_active or not checker.has_perm(roles.GIVE_SECOND_RATINGS.perm):
        return f"{name} cannot give a second rating: their role does not write verdicts."
    if claim.author_id == checker.pk:
        return f"{name} highlighted this claim; choose someone who has not worked on it."
    verdict = Verdict.objects.filter(claim_id=claim.pk).first()
    if verdict is not None and has_contributed(checker, verdict):
        return f"{name} wrote or edited the first verdict (or made its author's account); choose someone else."
    assignment = Assignment.objects.filter(claim_id=claim.pk).first()
    if assignment is not None and checker.pk in (assignment.checker_id, assignment.reviewer_id):
        part = "checks" if checker.pk == assignment.checker_id else "reviews"
        return f"{name} {part} this claim; the second rating must come from someone else."
    return None


def second_checker_assign(*, actor, claim, checker) -> SecondReview:
    """Name who gives the claim's second rating (reviewers and admins), and tell them. The checker may be given as
    a user, a username or an id."""
    require(actor, *roles.ASK_SECOND_RATINGS)
    if checker is None or checker == "":
        raise ValidationError({"checker": "Choose who gives the second rating."})
    checker = _lookup_user(checker, "checker")
    with transaction.atomic():
        claim, review = _locked_review(claim)
        _refuse_own(actor, review)
        _refuse_if_rated(review, "choose another checker")
        if review.checker_id == checker.pk:
            return review
        if refusal := _checker_refusal(checker, claim):
            raise ValidationError({"checker": refusal})
        review.checker = checker
        review.save(update_fields=["checker", "updated_at"])
        activity = record(
            actor=actor, action="second_checker_assigned", claim=claim, comment=f"second checker: {checker}"
        )
        asks = f"{actor.get_username()} asks you for an independent rating of {_statement(claim)}."
        _tell(checker, actor=actor, claim=claim, activity=activity, message=asks)
    return review


def second_review_update(*, actor, claim, required=UNSET, checker=UNSET) -> None:
    """What the panel's and the API's form send: the claim's switch and its second checker, both or neither;
    UNSET leaves one as it is. Reviewers and admins only, even when nothing changes."""
    require(actor, *roles.ASK_SECOND_RATINGS)
    with transaction.atomic():
        if required is not UNSET:
            second_review_switch(actor=actor, claim=claim, required=required)
        if checker is not UNSET:
            second_checker_assign(actor=actor, claim=claim, checker=checker)


def second_rating_save(*, actor, claim, rating: Rating | None, explanation: str = "") -> SecondReview:
    """The second checker's rating, from the same scale as verdicts; final once saved."""
    require(actor, *roles.GIVE_SECOND_RATINGS)
    explanation = (explanation or "").strip()
    too_long("explanation", "The explanation", explanation, MAX_EXPLANATION)
    with transaction.atomic():
        claim, review = _locked_review(claim)
        if review.checker_id != actor.pk:
            raise PermissionDenied("Only the second checker a reviewer chose gives this claim's second rating.")
        _refuse_if_rated(review, "change it")
        if rating is None:
            raise ValidationError({"rating": "Choose a rating."})
        verdict = Verdict.objects.filter(claim_id=claim.pk).select_related("rating").first()
        if verdict is not None and rating.scale_id != verdict.rating.scale_id:
            raise ValidationError({"rating": "Choose a rating of the verdict's scale."})
        review.rating, review.explanation, review.rated_at = rating, explanation, timezone.now()
        review.save(update_fields=["rating", "explanation", "rated_at", "updated_at"])
        # The comment leaves the rating out: the history is read by people still working on the first verdict.
        activity = record(actor=actor, action="second_rating_given", claim=claim)
        assignment = Assignment.objects.filter(claim_id=claim.pk).select_related("reviewer").first()
        if assignment is not None and assignment.reviewer is not None:
            gave = f"{actor.get_username()} gave the second rating of {_statement(claim)}: compare it now."
            _tell(assignment.reviewer, actor=actor, claim=claim, activity=activity, message=gave)
    return review
