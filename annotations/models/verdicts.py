"""Rating scales, verdicts (one per claim, carrying its review workflow) and public corrections."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .claims import Claim, ReviewStatus


class RatingScale(models.Model):
    name = models.CharField(max_length=100, unique=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_scale"),
        ]

    def __str__(self):
        return self.name


class Rating(models.Model):
    """One label of a scale. `value` places it on the numeric scale; labels off the scale (Unproven) have none."""

    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="ratings")
    label = models.CharField(max_length=60)
    value = models.SmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(help_text="Display order within the scale.")
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["scale_id", "position"]  # local columns: see Claim (claims.py)
        constraints = [
            models.UniqueConstraint(fields=["scale", "label"], name="rating_label_unique"),
            models.UniqueConstraint(fields=["scale", "position"], name="rating_position_unique"),
        ]

    def __str__(self):
        return self.label


class Verdict(models.Model):
    Status = ReviewStatus

    # A claim has one verdict, which carries the claim's review workflow: `claim.verdict`, or verdict_of(claim).
    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="verdict")
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="verdicts")
    explanation = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verdicts")
    status = models.CharField(max_length=24, choices=Status, default=Status.DRAFT)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="reviewed_verdicts"
    )
    review_comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every write; stale writers get a conflict.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The last public correction (schema.org dateModified); the notes themselves are Correction rows.
    corrected_at = models.DateTimeField(null=True, blank=True)
    # Taken down after publication: the public page says so (410) with the reason, until it is published again.
    unpublished_at = models.DateTimeField(null=True, blank=True)
    unpublish_reason = models.TextField(blank=True)
    # Re-anchoring found the published claim changed or orphaned on a newer revision of the article; set until a
    # reviewer decides (keep, correct or unpublish). The public page is not touched meanwhile.
    article_changed_at = models.DateTimeField(null=True, blank=True)
    article_change = models.CharField(max_length=16, blank=True, help_text="changed or orphaned")
    # What the reviewer approved (hashes of the claim's statement, its evidence and the verdict, see
    # services.approval): publishing refuses if any of it changed since, whichever path changed it.
    approved_fingerprint = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Two-person rule, held by the database too: nobody reviews their own verdict.
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | ~Q(reviewer=F("author")), name="verdict_reviewer_not_author"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "published"])
                | Q(reviewer__isnull=False, reviewed_at__isnull=False),
                name="verdict_approved_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False), name="verdict_published_has_date"
            ),
            models.CheckConstraint(condition=~Q(explanation=""), name="verdict_explanation_not_empty"),
            models.CheckConstraint(
                condition=Q(article_changed_at__isnull=True, article_change="")
                | Q(article_changed_at__isnull=False, article_change__in=["changed", "orphaned"]),
                name="verdict_article_change_consistent",
            ),
        ]
        permissions = [
            ("review_verdict", "Can approve verdicts or request changes"),
            ("publish_verdict", "Can publish approved verdicts"),
        ]

    def __str__(self):
        return f"{self.rating} — {self.claim}"


def verdict_of(claim: Claim) -> Verdict | None:
    """The claim's verdict, or None while it has none (`claim.verdict` raises then); loaded once, then cached."""
    try:
        return claim.verdict
    except Claim.verdict.RelatedObjectDoesNotExist:
        return None


class Correction(models.Model):
    """A public, dated correction of a published fact-check, with what the verdict said before it."""

    verdict = models.ForeignKey(Verdict, on_delete=models.PROTECT, related_name="corrections")
    note = models.TextField(help_text="Shown to readers on the fact-check page.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    previous_rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="+")
    previous_explanation = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="correction_note_not_empty")]

    def __str__(self):
        return f"Correction of {self.verdict} on {self.created_at:%Y-%m-%d}"
