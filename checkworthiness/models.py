"""The desk's history of check-worthiness: sentences an editor said no to, and the models retrained on it.

Claims (annotations.Claim) are the desk's yes: a sentence a claim's span overlaps is a positive. A dismissal is the
no. Rows are written by checkworthiness.services only.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from annotations.models import ArticleRevision


class Dismissal(models.Model):
    """A suggested sentence an editor decided is not worth a check: text[start:end] of the revision (code points)."""

    revision = models.ForeignKey(ArticleRevision, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["revision", "start"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "start", "end"], name="checkworthiness_dismissal_once"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="checkworthiness_dismissal_span"),
        ]

    def __str__(self):
        return f"{self.revision_id}:{self.start}-{self.end}"


class ScorerModel(models.Model):
    """A model retrained on the desk's history on top of the default (checkworthiness/default_model.json).

    At most one is active; with none, suggestions use the default. `fingerprint` is a digest of the examples it was
    trained on, so the periodic retraining skips a history that has not changed.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    weights = models.JSONField(help_text="checkworthiness.scorer.Model.to_json()")
    positives = models.PositiveIntegerField()
    negatives = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64)
    active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="checkworthiness_one_active")
        ]

    def __str__(self):
        return f"model {self.pk} ({self.positives}+/{self.negatives}-{', active' if self.active else ''})"
