"""Writes of the discussion: add, edit and remove comments, and tell the people they mention.

Desk members (editors, reviewers, admins) comment; a comment is edited or removed by its author within
DISCUSSION_EDIT_WINDOW seconds of posting, and removed by reviewers and admins at any time (moderation, logged)."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from annotations import roles
from annotations.models import Claim, Notification
from annotations.services.common import record
from annotations.services.notifications import notify

from .models import BODY_MAX, Comment
from .rendering import mentioned_names, render

COMMENT_REFUSAL = "Only editors, reviewers and admins take part in the discussion."
MODERATE = roles.Rule("annotations.review_verdict", "Only reviewers and admins remove other people's comments.")


def desk_members():
    """Active users holding a desk role: who may comment and be mentioned."""
    return get_user_model().objects.filter(is_active=True, groups__name__in=roles.ROLES).distinct()


def may_comment(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or roles.role_of(user) in roles.ROLES


def edit_window() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "DISCUSSION_EDIT_WINDOW", 300))


def within_window(comment: Comment, now=None) -> bool:
    return (now or timezone.now()) - comment.created_at <= edit_window()


def edit_refusal(user, comment: Comment) -> str | None:
    """Why `user` may not edit `comment` now, or None."""
    if comment.is_removed:
        return "This comment was removed."
    if user is None or comment.author_id != user.pk:
        return "Only its author edits a comment."
    if not within_window(comment):
        minutes = int(edit_window().total_seconds() // 60)
        return f"Comments can be edited for {minutes} minutes after posting; this one no longer."
    return None


def remove_refusal(user, comment: Comment) -> str | None:
    if comment.is_removed:
        return "This comment was removed already."
    if user is not None and user.has_perm(MODERATE.perm):
        return None
    return edit_refusal(user, comment) if comment.author_id == getattr(user, "pk", None) else MODERATE.refusal


def _clean_body(body) -> str:
    body = (body or "").strip() if isinstance(body, str) else ""
    if not body:
        raise ValidationError({"body": "Write something: an empty comment is not posted."})
    if len(body) > BODY_MAX:
        raise ValidationError({"body": f"A comment has at most {BODY_MAX} characters (this one has {len(body)})."})
    return body


def _members_named(body: str) -> dict[str, object]:
    names = mentioned_names(body)
    if not names:
        return {}
    return {user.get_username(): user for user in desk_members().filter(username__in=names)}


def _notify_mentioned(actor, comment: Comment, people) -> None:
    excerpt = " ".join(comment.body.split())[:160]
    statement = (comment.claim.claim_reviewed or comment.claim.exact)[:80]
    for person in people:
        notify(
            recipient=person,
            kind=Notification.Kind.MENTIONED,
            event_key=f"comment:{comment.pk}:mention:{person.pk}",
            message=f"{actor.get_username()} mentioned you on “{statement}”: {excerpt}",
            actor=actor,
            claim=comment.claim,
        )


def comment_add(*, actor, claim: Claim, body) -> Comment:
    if not may_comment(actor):
        raise PermissionDenied(COMMENT_REFUSAL)
    body = _clean_body(body)
    members = _members_named(body)
    with transaction.atomic():
        comment = Comment.objects.create(
            claim=claim, author=actor, body=body, body_html=render(body, {n: u.pk for n, u in members.items()})
        )
        comment.mentions.set(members.values())
        _notify_mentioned(actor, comment, members.values())
    return comment


def comment_edit(*, actor, comment: Comment, body) -> Comment:
    body = _clean_body(body)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("claim__article").get(pk=comment.pk)
        refusal = edit_refusal(actor, comment)
        if refusal:
            raise PermissionDenied(refusal)
        members = _members_named(body)
        before = set(comment.mentions.values_list("pk", flat=True))
        comment.body, comment.edited_at = body, timezone.now()
        comment.body_html = render(body, {n: u.pk for n, u in members.items()})
        comment.save(update_fields=["body", "body_html", "edited_at"])
        comment.mentions.set(members.values())
        # Only who is newly mentioned is told; the once-per-event key keeps anyone from being told twice.
        _notify_mentioned(actor, comment, [u for u in members.values() if u.pk not in before])
    return comment


def comment_remove(*, actor, comment: Comment) -> Comment:
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("claim__article").get(pk=comment.pk)
        refusal = remove_refusal(actor, comment)
        if refusal:
            raise PermissionDenied(refusal)
        comment.removed_at = timezone.now()
        comment.save(update_fields=["removed_at"])
        if comment.author_id != actor.pk:  # moderation is on the record; taking back one's own words is not
            record(actor=actor, action="comment_removed", claim=comment.claim, comment=f"comment {comment.pk}")
    return comment


def thread(claim_id: int):
    """The claim's comments, oldest first, with their authors: one query."""
    return Comment.objects.filter(claim_id=claim_id).select_related("author").order_by("created_at", "id")
