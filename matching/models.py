"""The corpus of fact-checks that a new claim is matched against: other desks' ClaimReviews and our own.

Rows are written by matching.services only (imports, feed refreshes, and the sync of our own published verdicts).
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .claimreview_record import MAX_NAME, MAX_URL


class ClaimReviewFeed(models.Model):
    """An admin's subscription to another desk's ClaimReview feed (JSON, JSON Lines or an HTML page), refreshed by
    Celery beat; what the last refresh did is kept here for the admin to see."""

    class Status(models.TextChoices):
        OK = "ok", "OK"
        FAILED = "failed", "Failed"

    url = models.URLField(max_length=MAX_URL, unique=True)
    active = models.BooleanField(default=True, help_text="Refreshed by the periodic task while active.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=16, choices=Status, blank=True)
    last_error = models.TextField(blank=True, help_text="Why the last refresh failed, or the records it refused.")
    last_imported = models.PositiveIntegerField(default=0, help_text="New fact-checks at the last refresh.")
    last_updated = models.PositiveIntegerField(default=0, help_text="Fact-checks that changed at the last refresh.")
    last_skipped = models.PositiveIntegerField(default=0, help_text="Unchanged (or our own) at the last refresh.")
    last_rejected = models.PositiveIntegerField(default=0, help_text="Records refused at the last refresh.")

    class Meta:
        ordering = ["url"]
        verbose_name = "ClaimReview feed"
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"), name="feed_url_http"
            ),
            models.CheckConstraint(
                condition=~Q(last_status="failed") | ~Q(last_error=""), name="feed_failed_has_reason"
            ),
        ]

    def __str__(self):
        return self.url


class FactCheckQuerySet(models.QuerySet):
    def touch(self) -> int:
        """Move the rows' updated_at and nothing else: the kept vectors (matching.search) then read a fact-check
        again, with its wordings, and the repeat sweep (services.claim_matches) takes one of ours as changed."""
        return self.update(updated_at=timezone.now())


class FactCheck(models.Model):
    """One fact-check in the corpus: a ClaimReview imported from a file or a feed, or one of our own."""

    class Origin(models.TextChoices):
        FILE = "file", "Imported file"
        FEED = "feed", "Feed"
        OWN = "own", "Our own"

    # The idempotency key: the same URL imported again updates its row.
    url = models.URLField(max_length=MAX_URL, unique=True)
    publisher_name = models.CharField(max_length=MAX_NAME, blank=True, help_text="The fact-checker (author).")
    publisher_url = models.URLField(max_length=MAX_URL, blank=True)
    # Any length: other desks' feeds are not held to our 75 characters.
    claim_reviewed = models.TextField()
    headline = models.TextField(blank=True)
    rating_name = models.TextField(blank=True, help_text="reviewRating.alternateName, e.g. False, Mostly true.")
    rating_value = models.FloatField(null=True, blank=True)
    rating_best = models.FloatField(null=True, blank=True)
    rating_worst = models.FloatField(null=True, blank=True)
    date_published = models.DateField(null=True, blank=True)
    claimant = models.CharField(max_length=MAX_NAME, blank=True, help_text="itemReviewed.author.name")
    appearance_urls = models.JSONField(default=list, blank=True, help_text="Where the claim appeared (http(s) URLs).")
    # NULL when the ClaimReview does not say (its search vector is then in 'simple').
    language = models.CharField(  # noqa: DJ001
        max_length=35, null=True, blank=True, help_text="BCP 47 code (en, pt-BR), if given."
    )
    origin = models.CharField(max_length=8, choices=Origin)
    feed = models.ForeignKey(
        ClaimReviewFeed, null=True, blank=True, on_delete=models.SET_NULL, related_name="fact_checks"
    )
    # Our own published fact-checks: the claim they check (kept in step with publishing, corrections, withdrawal).
    claim = models.OneToOneField(
        "annotations.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="fact_check"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # claim_reviewed (weight A) and headline (B) in the language's text search configuration, 'simple' when the
    # language is unknown or has no stemmer: written by a trigger (migration 0001), never from Python. Language-aware
    # as the desk's own search is (annotations.search): stems and stop words make an English paraphrase meet its
    # fact-check; a query of unknown language is parsed in every configuration and OR'ed (search.search_query), so
    # one GIN index scan serves a corpus of many languages.
    search = SearchVectorField(null=True, editable=False)
    # Filled by matching.embedding (one sentence embedding of claim_reviewed and headline, little-endian float16, see
    # encoder.to_bytes, and the model that made it); left empty by imports, emptied when either text changes.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=200, blank=True, editable=False)

    objects = FactCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-date_published", "-id"]
        verbose_name = "fact-check"
        indexes = [
            GinIndex(fields=["search"], name="factcheck_search_gin"),
            # Trigram similarity of the statement (pg_trgm): near-identical wording, typos, words the stemmer splits.
            GinIndex(fields=["claim_reviewed"], opclasses=["gin_trgm_ops"], name="factcheck_claim_trgm"),
            # What the kept vectors (matching.search) ask before each search: has anything changed since?
            models.Index(fields=["updated_at"], name="factcheck_updated"),
            # Rows not embedded yet (just imported) are found by their words: a small index of only those.
            GinIndex(fields=["search"], condition=Q(embedding__isnull=True), name="factcheck_unembedded_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"), name="factcheck_url_http"
            ),
            models.CheckConstraint(condition=~Q(claim_reviewed=""), name="factcheck_claim_reviewed_not_empty"),
            models.CheckConstraint(
                condition=Q(origin="own", claim__isnull=False) | (~Q(origin="own") & Q(claim__isnull=True)),
                name="factcheck_own_has_claim",
            ),
            models.CheckConstraint(condition=Q(feed__isnull=True) | Q(origin="feed"), name="factcheck_feed_origin"),
        ]

    def __str__(self):
        return self.claim_reviewed[:80]


# The links between our claims and the corpus, in a module of their own (re-exported for the app registry).
from .claim_models import ClaimMatch, SameClaim  # noqa: E402

__all__ = ["ClaimMatch", "ClaimReviewFeed", "FactCheck", "SameClaim"]
