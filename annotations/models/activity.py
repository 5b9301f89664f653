"""The append-only activity log, and the record of accounts made and roles changed."""

from django.conf import settings
from django.db import models

from .articles import Article
from .claims import Claim
from .verdicts import Verdict


class Activity(models.Model):
    """Append-only log of state changes (a database trigger refuses UPDATE)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=50)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="activity")
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="activity")
    verdict = models.ForeignKey(Verdict, null=True, blank=True, on_delete=models.CASCADE, related_name="activity")
    # The account an account action was done to (created, role granted or removed); the actor is who did it.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="account_activity"
    )
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "activity"

    def __str__(self):
        return f"{self.action} {self.from_state}->{self.to_state}"


class RoleChange(Activity):
    """The account part of the activity log (accounts created, roles granted and removed), listed for admins."""

    ACTIONS = ("account_created", "role_granted", "role_removed")

    class Meta:
        proxy = True
        ordering = ["-created_at", "-id"]
