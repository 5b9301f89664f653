"""Comment threads on claims: what the desk says to one another about a claim while it is checked."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotations.models import Claim

BODY_MAX = 5000


class Comment(models.Model):
    """One comment of a claim's thread. `body` is what was typed; `body_html` its sanitised rendering (links and
    @mentions), made once on write. Removing keeps the row (the thread stays readable: "comment removed")."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField()
    body_html = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at"], name="comment_thread")]
        constraints = [
            models.CheckConstraint(condition=~Q(body="") | Q(removed_at__isnull=False), name="comment_not_empty"),
        ]

    def __str__(self):
        return f"comment {self.pk} on claim {self.claim_id}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None
