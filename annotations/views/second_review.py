"""The claim panel's second rating: asking for one and choosing its checker (reviewers), the checker's rating, and
the desk's setting (admins). Panel actions answer like the others: the new panel for panel.js, or a redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import blind_review, roles, services
from ..forms import SecondRatingForm
from ..models import Claim
from .assignments import messages_of, user_choice
from .common import role_required
from .reader import action_done, render_reader

WHERE = "second-review-heading"
REQUIRED = {"": None, "yes": True, "no": False}


@require_POST
@role_required(*roles.ASK_SECOND_RATINGS)
def second_review_update(request, claim_id: int):
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)
    choice = request.POST.get("required", "")
    checker = user_choice(request.POST.get("checker"))
    try:
        if choice not in REQUIRED:
            raise ValidationError({"required": f"{choice!r} is not one of yes, no or the desk's setting."})
        # "Nobody yet" keeps the checker: a chosen one is only changed by choosing another.
        services.second_review_update(
            actor=request.user,
            claim=claim,
            required=REQUIRED[choice],
            checker=services.UNSET if checker is None else checker,
        )
    except (ValidationError, PermissionDenied) as error:
        reason = messages_of(error) if isinstance(error, ValidationError) else str(error)
        return action_done(request, claim, f"Not saved: {reason}", where=WHERE, level="error")
    return action_done(request, claim, "Second rating settings saved.", where=WHERE)


@require_POST
@role_required(*roles.GIVE_SECOND_RATINGS)
def second_rating_save(request, claim_id: int):
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)
    form = SecondRatingForm(request.POST)
    if form.is_valid():
        try:
            services.second_rating_save(actor=request.user, claim=claim, **form.cleaned_data)
        except PermissionDenied as refusal:
            return action_done(request, claim, f"Not saved: {refusal}", where=WHERE, level="error")
        except ValidationError as error:
            form.add_error(None, messages_of(error))
        else:
            return action_done(request, claim, "Your rating is saved: compare it with the first verdict.", where=WHERE)
    return render_reader(request, claim.article, selected_id=claim.pk, forms={"second_rating": form}, status=400)


@role_required(*roles.MANAGE_DESK)
def desk_settings(request):
    """The desk's own settings (admins): for now, whether every claim needs a blind second rating."""
    if request.method == "POST":
        services.desk_settings_save(actor=request.user, blind_second_review=request.POST.get("blind") == "on")
        messages.success(request, "Desk settings saved.")
        return redirect("desk_settings")
    return render(
        request, "annotations/desk_settings.html", {"blind_second_review": blind_review.desk_asks_second_rating()}
    )
