"""Giving work to people: who checks an article or a claim, who reviews it, and by when.

Reviewers and admins assign anyone (the checker must be able to write verdicts, the reviewer to review them, and
they are two people); editors only take unassigned work for themselves, as its checker.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import roles
from ..models import Article, Assignment, Claim
from . import notifications
from .common import record, require
from .verdicts import two_person_refusal

UNSET = object()  # "leave as it is", distinct from None ("nobody" / "no due date")


def _lookup_user(value, field: str):
    """A user from an instance, a username or an id; a ValidationError naming the field if there is none."""
    if value is None or isinstance(value, get_user_model()):
        return value
    users = get_user_model().objects.filter(is_active=True)
    user = users.filter(pk=value).first() if isinstance(value, int) else users.filter(username=value).first()
    if user is None:
        raise ValidationError({field: f"There is no active user {value!r}."})
    return user


def _check_people(checker, reviewer, claim: Claim | None) -> None:
    errors = {}
    if checker is not None and not checker.has_perm(roles.WRITE_VERDICTS.perm):
        errors["checker"] = f"{checker.get_username()} cannot check: their role does not write verdicts."
    if reviewer is not None and not reviewer.has_perm(roles.REVIEW_QUEUE.perm):
        errors["reviewer"] = f"{reviewer.get_username()} cannot review: their role does not review verdicts."
    if errors:
        raise ValidationError(errors)
    if checker is not None and reviewer is not None and checker.pk == reviewer.pk:
        raise ValidationError({"reviewer": "Two-person rule: nobody reviews a claim they check."})
    verdict = getattr(claim, "verdict", None) if claim is not None else None
    if reviewer is not None and verdict is not None and (refusal := two_person_refusal(reviewer, verdict)):
        raise ValidationError({"reviewer": refusal.replace("you ", f"{reviewer.get_username()} ", 1)})


def _check_due(due, current) -> None:
    if due is not None and not isinstance(due, datetime.date):
        raise ValidationError({"due": "Give the due date as a date (YYYY-MM-DD)."})
    if due is not None and due != current and due < timezone.localdate():
        raise ValidationError({"due": f"The due date {due.isoformat()} is in the past."})


def _locked(claim: Claim | None, article: Article | None) -> Assignment:
    if (claim is None) == (article is None):
        raise ValueError("Assign a claim or an article, exactly one.")
    if claim is not None:
        Claim.objects.select_for_update().get(pk=claim.pk)  # concurrent assignments of one claim wait here
        assignment, _ = Assignment.objects.get_or_create(claim_id=claim.pk)
    else:
        Article.objects.select_for_update().get(pk=article.pk)
        assignment, _ = Assignment.objects.get_or_create(article_id=article.pk)
    return assignment


def _name(user) -> str:
    return user.get_username() if user is not None else "nobody"


def assign(
    *, actor, claim: Claim | None = None, article: Article | None = None, checker=UNSET, reviewer=UNSET, due=UNSET
):
    """Set who checks and who reviews a claim or an article, and its due date; UNSET keeps a field as it is.

    Users may be given as instances, usernames or ids. Refuses with PermissionDenied (the actor's role) or
    ValidationError naming the field (unknown user, wrong role, the two-person rule, a due date in the past)."""
    require(actor, *roles.TAKE_WORK)
    with transaction.atomic():
        assignment = _locked(claim, article)
        before = (assignment.checker, assignment.reviewer, assignment.due)
        checker = before[0] if checker is UNSET else _lookup_user(checker, "checker")
        reviewer = before[1] if reviewer is UNSET else _lookup_user(reviewer, "reviewer")
        due = before[2] if due is UNSET else due
        if not actor.has_perm(roles.ASSIGN_WORK.perm):
            _require_taking(actor, before, (checker, reviewer, due))
        _check_people(checker, reviewer, claim)
        _check_due(due, before[2])
        if (checker, reviewer, due) == before:
            return assignment
        assignment.checker, assignment.reviewer, assignment.due = checker, reviewer, due
        assignment.assigned_by = actor
        assignment.save()
        activity = record(
            actor=actor,
            action="work_assigned",
            article=article,
            claim=claim,
            comment=f"checker: {_name(checker)}; reviewer: {_name(reviewer)}; due: {due or 'none'}",
        )
        notifications.assigned(actor=actor, assignment=assignment, before=before, activity=activity)
    return assignment


def _require_taking(actor, before, after) -> None:
    """An editor may only name themselves checker of work nobody checks, leaving the rest as it was."""
    if before[0] is not None and before[0].pk != actor.pk:
        raise PermissionDenied(f"{_name(before[0])} already checks this; ask a reviewer to reassign it.")
    if after[0] is None or after[0].pk != actor.pk or after[1:] != before[1:]:
        raise PermissionDenied(roles.ASSIGN_WORK.refusal)


def take(*, actor, claim: Claim | None = None, article: Article | None = None) -> Assignment:
    """Become the checker of unassigned work (what the "Take it" button does)."""
    return assign(actor=actor, claim=claim, article=article, checker=actor)


def assign_many(*, actor, claims, checker=UNSET, reviewer=UNSET, due=UNSET) -> list[Assignment]:
    """Assign several claims at once (the claims list's bulk action): all of them or, on any refusal, none."""
    with transaction.atomic():
        return [
            assign(actor=actor, claim=claim, checker=checker, reviewer=reviewer, due=due)
            for claim in sorted(claims, key=lambda c: c.pk)  # one lock order, so two bulk assigns cannot deadlock
        ]
