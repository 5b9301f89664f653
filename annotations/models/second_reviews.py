"""Blind second review: an independent second rating of a claim, made without seeing the first verdict.

Whether a claim needs one is the desk's setting (`DeskSettings.blind_second_review`) unless the claim's own switch
(`SecondReview.required`) says otherwise. The pairs of first and second ratings are what the dashboard's agreement
(Krippendorff's alpha) is computed from."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .claims import Claim
from .verdicts import Rating


class DeskSettings(models.Model):
    """The desk's own settings: one row (pk 1), read with `DeskSettings.current()`."""

    blind_second_review = models.BooleanField(
        default=False, help_text="Ask for an independent second rating of every claim before it can be approved."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "desk settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="desk_settings_single_row")]

    def __str__(self):
        return "desk settings"

    @classmethod
    def current(cls) -> "DeskSettings":
        return cls.objects.get_or_create(pk=1)[0]


class SecondReview(models.Model):
    """The claim's switch (None: the desk's setting) and, once made, the second checker's independent rating.

    The second checker is never the verdict's author (checked in the services: the verdict is another table)."""

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="second_review")
    required = models.BooleanField(null=True, blank=True, help_text="None: follow the desk's setting.")
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="second_reviews"
    )
    rating = models.ForeignKey(Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    explanation = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["rated_at"], name="second_review_rated_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True, rated_at__isnull=True)
                | Q(rating__isnull=False, rated_at__isnull=False, checker__isnull=False),
                name="second_review_rated_consistent",
            ),
        ]

    def __str__(self):
        return f"second review of claim {self.claim_id}"
