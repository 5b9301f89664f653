"""Notifications of the desk's events for the people they concern (inbox and email), and each user's choices."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from .articles import Article
from .claims import Claim


class Notification(models.Model):
    """One event told to one person: in the inbox until read, and emailed at most once (`emailed_at`).

    `event_key` names the event (the activity entry, or the assignment and its due date for reminders); unique per
    recipient, so that an event reported twice (a retried service call, a second reminder sweep) notifies once."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "Assigned to you"
        SENT_BACK = "sent_back", "Sent back to you"
        REVIEW_REQUESTED = "review_requested", "Submitted for your review"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        DUE_SOON = "due_soon", "Due tomorrow"
        OVERDUE = "overdue", "Overdue"
        MENTIONED = "mentioned", "Mentioned"
        ARTICLE_CHANGED = "article_changed", "A published check's article changed"
        SECOND_REVIEW = "second_review", "Second rating asked of you"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=24, choices=Kind)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=500)
    event_key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="notification_once_per_event"),
        ]

    def __str__(self):
        return f"{self.recipient_id}: {self.message[:60]}"


class NotificationPreference(models.Model):
    """What a user wants to be told, and how: kinds turned off, and email at once, in a daily digest or never."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", "At once"
        DIGEST = "digest", "Daily digest"
        OFF = "off", "Never"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    muted_kinds = ArrayField(models.CharField(max_length=24, choices=Notification.Kind), default=list, blank=True)
    email = models.CharField(max_length=12, choices=Email, default=Email.IMMEDIATE)

    def __str__(self):
        return f"preferences of {self.user_id}"
