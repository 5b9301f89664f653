"""The claim panel's discussion (templates/discussion/_thread.html): the thread, and what the visitor may do."""

from django import template

from .. import services

register = template.Library()


@register.simple_tag(takes_context=True)
def claim_thread(context, claim) -> dict:
    """The thread of `claim` for the visitor: comments (one query), each with whether they may edit or remove it."""
    user = context["request"].user
    comments = list(services.thread(claim.pk))
    for comment in comments:
        comment.may_edit = services.edit_refusal(user, comment) is None
        comment.may_remove = services.remove_refusal(user, comment) is None
    return {"comments": comments, "may_comment": services.may_comment(user) and not claim.is_withdrawn}
