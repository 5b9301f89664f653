"""Web views of assignments: the "My work" page and the claims list's bulk assign (and take) form; the claim
panel's own form is in claim_assignment.py."""

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, IntegerField, Q, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .. import blind_review, roles, services
from ..models import Assignment, Claim, ReviewStatus
from .common import role_required

MAX_BULK = 100  # claims one bulk assign may name (a page of the claims list is 25)


def desk_members(perm: str):
    """Active users whose role grants `perm` (through their role group), by username: the assign form's choices."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions__codename=perm.split(".")[1]) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
        .only("id", "username")
    )


def assign_choices(user) -> dict:
    """Who the assign forms offer (the claims list's bulk form, the claim panel's): reviewers and admins choose
    anyone; editors only take work (no choices). The lists are lazy: only a page that shows the form reads them."""
    if not user.has_perm(roles.ASSIGN_WORK.perm):
        return {}
    return {
        "can_assign": True,
        "checkers": desk_members(roles.WRITE_VERDICTS.perm),
        "reviewers": desk_members(roles.REVIEW_QUEUE.perm),
        "today": timezone.localdate(),
    }


def my_work_assignments(user):
    """What `user` checks or reviews and is not done (published, or a withdrawn claim): overdue first, then by due
    date (undated last), then oldest assignment first."""
    today = timezone.localdate()
    return (
        Assignment.objects.filter(Q(checker=user) | Q(reviewer=user))
        .exclude(claim__status=ReviewStatus.PUBLISHED)
        .exclude(claim__withdrawn_at__isnull=False)
        .select_related("claim__article", "article", "checker", "reviewer")
        .defer("claim__article__search_vector", "article__search_vector")
        .annotate(overdue=Case(When(due__lt=today, then=0), default=1, output_field=IntegerField()))
        .order_by("overdue", F("due").asc(nulls_last=True), "id")
    )


@role_required(*roles.LIST_CLAIMS)
def my_work(request):
    assignments = list(my_work_assignments(request.user)[:500])
    today = timezone.localdate()
    for assignment in assignments:
        assignment.is_overdue = assignment.due is not None and assignment.due < today
        assignment.my_part = "check" if assignment.checker_id == request.user.pk else "review"
    context = {"assignments": assignments, "second_ratings": list(second_ratings_asked(request.user)[:500])}
    return render(request, "annotations/my_work.html", context)


def second_ratings_asked(user):
    """The claims `user` is asked to rate blind and has not rated, oldest request first."""
    return (
        blind_review.unrated_by(user.pk)
        .filter(claim__withdrawn_at__isnull=True)
        .select_related("claim__article")
        .defer("claim__article__search_vector")
        .order_by("updated_at", "id")
    )


def user_choice(value: str):
    value = (value or "").strip()
    return None if value in {"", "-"} else value  # "-": nobody


def due_date(value: str):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"due": f"{value!r} is not a date (YYYY-MM-DD)."}) from None


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("claim_search")


def messages_of(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(message for messages_ in error.message_dict.values() for message in messages_)
    return " ".join(error.messages)


@require_POST
@role_required(*roles.TAKE_WORK)
def claims_assign(request):
    """Assign the selected claims (reviewers and admins), or take them (editors: `take`), all or none."""
    ids = [int(pk) for pk in request.POST.getlist("claims") if pk.isdigit()][:MAX_BULK]
    claims = list(Claim.objects.filter(pk__in=ids, withdrawn_at__isnull=True))
    if not claims:
        messages.error(request, "Select the claims to assign.")
        return _back(request)
    try:
        if "take" in request.POST:
            changed = services.assign_many(actor=request.user, claims=claims, checker=request.user)
        else:
            fields = {"checker": user_choice(request.POST.get("checker"))}
            if "reviewer" in request.POST:
                fields["reviewer"] = user_choice(request.POST.get("reviewer"))
            if "due" in request.POST:
                fields["due"] = due_date(request.POST.get("due"))
            changed = services.assign_many(actor=request.user, claims=claims, **fields)
    except ValidationError as error:
        messages.error(request, f"Nothing assigned: {messages_of(error)}")
    except PermissionDenied as refusal:
        messages.error(request, f"Nothing assigned: {refusal}")
    else:
        messages.success(request, f"{len(changed)} claim{'s' if len(changed) != 1 else ''} assigned.")
    return _back(request)
