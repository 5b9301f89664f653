"""Evidence: a source cited for or against a claim, with the check of its quote against the capture."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .captures import Capture
from .claims import Claim
from .sources import Source


class Evidence(models.Model):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        REFUTES = "refutes", "Refutes"
        CONTEXT = "context", "Context"

    class QuoteStatus(models.TextChoices):
        UNCHECKED = "unchecked", "Unchecked"
        FOUND = "found", "Found"  # faithful as journalists quote (typography, ellipses, [editor's words])
        DIFFERS = "differs", "Differs"  # a close passage says something else: quote_differences has the word diff
        NOT_FOUND = "not_found", "Not found"
        GONE = "gone", "Gone"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=2000)
    quote = models.TextField(blank=True, help_text="The passage in the source.")
    stance = models.CharField(max_length=16, choices=Stance)
    note = models.TextField(blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence")
    capture = models.ForeignKey(Capture, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence")
    quote_status = models.CharField(max_length=16, choices=QuoteStatus, default=QuoteStatus.UNCHECKED)
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.PositiveIntegerField(null=True, blank=True)
    quote_score = models.FloatField(null=True, blank=True)
    # Where the quote differs from the closest passage: [[quote words, source words], ...] (empty unless "differs").
    quote_differences = models.JSONField(default=list, blank=True)
    quote_checked_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidence")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["claim_id", "created_at", "id"]  # local columns: see Claim (claims.py)
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"), name="evidence_url_http"
            ),
            models.CheckConstraint(
                condition=~Q(quote_status__in=["found", "differs"])
                | Q(quote_start__isnull=False, quote_end__gte=F("quote_start")),
                name="evidence_found_has_location",
            ),
        ]

    def __str__(self):
        return f"{self.get_stance_display()}: {self.url}"
