"""The claim panel's discussion forms: post, edit and remove a comment. Posted like every panel form: panel.js
swaps in the panel annotations' reader renders (action_done); without JavaScript, a redirect back to the claim."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from annotations import roles
from annotations.models import Claim
from annotations.views.common import role_required
from annotations.views.reader import action_done

from . import services
from .models import Comment

WHERE = "discussion-heading"


def _refused(request, claim, error: Exception):
    if isinstance(error, ValidationError):
        message = (
            " ".join(m for ms in error.message_dict.values() for m in ms)
            if hasattr(error, "error_dict")
            else " ".join(error.messages)
        )
    else:
        message = str(error)
    return action_done(request, claim, f"Not saved: {message}", where=WHERE, level="error")


@require_POST
@role_required(*roles.READ_ARTICLES)
def comment_add(request, claim_id: int):
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)
    try:
        services.comment_add(actor=request.user, claim=claim, body=request.POST.get("body", ""))
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, claim, error)
    return action_done(request, claim, "Comment posted.", where=WHERE)


def _comment(comment_id: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("claim__article"), pk=comment_id)


@require_POST
@role_required(*roles.READ_ARTICLES)
def comment_edit(request, comment_id: int):
    comment = _comment(comment_id)
    try:
        services.comment_edit(actor=request.user, comment=comment, body=request.POST.get("body", ""))
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, comment.claim, error)
    return action_done(request, comment.claim, "Comment saved.", where=WHERE)


@require_POST
@role_required(*roles.READ_ARTICLES)
def comment_remove(request, comment_id: int):
    comment = _comment(comment_id)
    try:
        services.comment_remove(actor=request.user, comment=comment)
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, comment.claim, error)
    return action_done(request, comment.claim, "Comment removed.", where=WHERE)
