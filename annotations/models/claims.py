"""Claims: highlighted spans of a revision that need checking, their review status and their search document."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length

from .articles import Article, ArticleRevision

CONTEXT_WIDTH = 32  # characters of prefix/suffix kept around a claim (W3C TextQuoteSelector context)
CLAIM_REVIEWED_MAX = 75


class ReviewStatus(models.TextChoices):
    """The review workflow, shared by a verdict and its claim."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class Claim(models.Model):
    """A highlighted span of one revision that needs checking (a W3C TextQuote + TextPosition selector)."""

    Status = ReviewStatus  # a claim's status is its verdict's (see `status`)

    class Anchoring(models.TextChoices):
        ANCHORED = "anchored", "Anchored"
        MOVED = "moved", "Moved"
        CHANGED = "changed", "Changed"
        ORPHANED = "orphaned", "Orphaned"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    revision = models.ForeignKey(ArticleRevision, on_delete=models.PROTECT, related_name="claims")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    exact = models.TextField()
    prefix = models.CharField(max_length=CONTEXT_WIDTH, blank=True)
    suffix = models.CharField(max_length=CONTEXT_WIDTH, blank=True)
    claimant = models.CharField(max_length=200, blank=True, help_text="Who made the claim.")
    claim_reviewed = models.CharField(
        max_length=CLAIM_REVIEWED_MAX, blank=True, help_text="Short normalised statement (schema.org claimReviewed)."
    )
    # The verdict's status (draft while there is none), copied by a database trigger on the verdict table (migration
    # 0012) whichever path writes the verdict; Python never writes it. A column of its own, not a join, because the
    # claim lists filter and order on it (claim_status_created) and a check constraint below reads it.
    status = models.CharField(max_length=24, choices=Status, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Where the claim sits on the newest revision (kept by re-anchoring when a revision is added).
    anchor_revision = models.ForeignKey(
        ArticleRevision, null=True, blank=True, on_delete=models.SET_NULL, related_name="anchored_claims"
    )
    anchor_state = models.CharField(max_length=16, choices=Anchoring, default=Anchoring.ANCHORED)
    anchor_start = models.PositiveIntegerField(null=True, blank=True)
    anchor_end = models.PositiveIntegerField(null=True, blank=True)
    anchor_exact = models.TextField(blank=True)
    anchor_score = models.FloatField(null=True, blank=True)
    # The quote an editor chose when re-attaching the claim by hand, and its context there; from then on
    # re-anchoring looks for it instead of the original `exact` (which the article no longer says), through later
    # edits too, with the context where it was last found (or this one once it is lost).
    reattached_exact = models.TextField(blank=True)
    reattached_prefix = models.CharField(max_length=CONTEXT_WIDTH, blank=True)
    reattached_suffix = models.CharField(max_length=CONTEXT_WIDTH, blank=True)
    # Withdrawn claims (duplicates, mistakes) are soft-deleted: kept with their history, hidden from the desk's lists.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        # Local columns only: ordering by a relation would join its table (with its own ordering) into every query
        # and, under select_for_update(), lock its rows too (the re-anchoring locks claims, not articles).
        ordering = ["article_id", "start", "end", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="claim_status_created")]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0) & Q(end__gt=F("start")), name="claim_span_valid"),
            models.CheckConstraint(condition=Q(end=F("start") + Length("exact")), name="claim_exact_length_matches"),
            models.CheckConstraint(
                condition=Q(anchor_state="orphaned", anchor_start__isnull=True, anchor_end__isnull=True)
                | Q(~Q(anchor_state="orphaned"), anchor_start__isnull=False, anchor_end__gt=F("anchor_start"))
                | Q(anchor_revision__isnull=True),
                name="claim_anchor_consistent",
            ),
            models.CheckConstraint(
                condition=Q(anchor_score__isnull=True) | Q(anchor_score__gte=0, anchor_score__lte=1),
                name="claim_anchor_score_range",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""), name="claim_withdrawn_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(status="published"), name="claim_withdrawn_not_published"
            ),
        ]

    def __str__(self):
        return self.claim_reviewed or self.exact[:80]

    @property
    def is_locked(self) -> bool:
        """A claim under review or past it keeps its verdict unchanged until sent back."""
        return self.status in {self.Status.IN_REVIEW, self.Status.APPROVED, self.Status.PUBLISHED}

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ClaimSearch(models.Model):
    """A claim's full-text document: statement, quote, claimant, evidence (quotes, notes, URLs), verdict explanation.

    Kept by database triggers (migration 0009) on claims, evidence, verdicts and the article's language, whichever
    path writes them, in the article language's text search configuration; Python only reads it. A table of its own
    so that no claim query loads a vector it does not need.
    """

    # The foreign key is the migration's own, ON DELETE CASCADE: Django deleting the row first would not do, as the
    # evidence trigger writes it again while Django deletes a claim's evidence just before the claim.
    claim = models.OneToOneField(
        Claim, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="search"
    )
    config = models.CharField(max_length=32, help_text="The text search configuration the vector was built with.")
    vector = SearchVectorField()

    class Meta:
        indexes = [GinIndex(fields=["vector"], name="claim_search_gin")]

    def __str__(self):
        return f"search document of claim {self.claim_id} ({self.config})"
