"""The claim panel's assignment: who checks and reviews this claim and by when (reviewers, admins), or "Take it"
(editors). Answered like every panel action: the new panel for panel.js, or a message and a redirect."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from .. import roles, services
from ..models import Claim
from .assignments import due_date, messages_of, user_choice
from .common import role_required
from .reader import action_done

WHERE = "assignment-heading"


@require_POST
@role_required(*roles.TAKE_WORK)
def claim_assign(request, claim_id: int):
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)
    try:
        if "take" in request.POST:
            services.take(actor=request.user, claim=claim)
            done = "You check this claim now."
        else:
            services.assign(
                actor=request.user,
                claim=claim,
                checker=user_choice(request.POST.get("checker")),
                reviewer=user_choice(request.POST.get("reviewer")),
                due=due_date(request.POST.get("due")),
            )
            done = "Assignment saved."
    except ValidationError as error:
        return action_done(request, claim, f"Not assigned: {messages_of(error)}", where=WHERE, level="error")
    except PermissionDenied as refusal:
        return action_done(request, claim, f"Not assigned: {refusal}", where=WHERE, level="error")
    return action_done(request, claim, done, where=WHERE)
