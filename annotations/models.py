"""The fact-checking domain: sources, articles and their revisions, claims, evidence, captures, verdicts, activity.

Models hold fields, constraints and small predicates only; every write goes through annotations.services.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower

CONTEXT_WIDTH = 32  # characters of prefix/suffix kept around a claim (W3C TextQuoteSelector context)
CLAIM_REVIEWED_MAX = 75
# The shapes of BCP 47 tags an article's language may take (annotations.languages normalises them first).
LANGUAGE_TAG_REGEX = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$"


class ReviewStatus(models.TextChoices):
    """The review workflow, shared by a verdict and its claim."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class Source(models.Model):
    class Kind(models.TextChoices):
        PRIMARY_DATA = "primary_data", "Primary data"
        GOVERNMENT = "government", "Government"
        INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental"
        RESEARCH = "research", "Academic / research institute"
        NEWS_MEDIA = "news_media", "News media"
        STATE_MEDIA = "state_media", "State-affiliated media"
        NGO = "ngo", "NGO"
        SOCIAL_MEDIA = "social_media", "Social media"
        OTHER = "other", "Other"

    class Reliability(models.TextChoices):
        HIGH = "high", "High"
        MIXED = "mixed", "Mixed"
        LOW = "low", "Low"
        UNRATED = "unrated", "Unrated"

    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, help_text="Registered domain, e.g. sipri.org (sub-domains match it).")
    kind = models.CharField(max_length=32, choices=Kind, default=Kind.OTHER)
    reliability = models.CharField(max_length=16, choices=Reliability, default=Reliability.UNRATED)
    notes = models.TextField(blank=True)
    blocked = models.BooleanField(default=False, help_text="Evidence citing this domain is refused.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        permissions = [("manage_sources", "Can manage the source registry")]
        constraints = [
            models.UniqueConstraint(Lower("domain"), name="source_domain_unique_ci"),
            models.CheckConstraint(
                condition=Q(domain=Lower("domain")) & ~Q(domain="") & ~Q(domain__contains="/"),
                name="source_domain_lowercase_host",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.domain})"


class Article(models.Model):
    title = models.CharField(max_length=500)
    url = models.URLField(max_length=2000, null=True, blank=True, unique=True)
    outlet = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    byline = models.CharField(max_length=300, blank=True)
    published_date = models.DateField(null=True, blank=True)
    language = models.CharField(
        max_length=35, default="en", help_text="BCP 47 code (en, ar, pt-BR); und when it could not be told."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Title, byline and current text in the language's text search configuration, kept by database triggers
    # (migration 0009) whichever path writes the article or adds a revision; never written from Python.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_date", "-created_at"]
        indexes = [GinIndex(fields=["search_vector"], name="article_search_gin")]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(condition=~Q(url=""), name="article_url_null_not_empty"),
            models.CheckConstraint(condition=Q(language__regex=LANGUAGE_TAG_REGEX), name="article_language_bcp47"),
        ]

    def __str__(self):
        return self.title


class ArticleRevision(models.Model):
    """An immutable snapshot of an article's text; the highest number is current."""

    class Origin(models.TextChoices):
        PASTED = "pasted", "Pasted"
        FILE = "file", "File"
        FETCHED = "fetched", "Fetched"
        EDITED = "edited", "Edited"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    origin = models.CharField(max_length=16, choices=Origin)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article_id", "number"]  # local columns: see Claim
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
            models.UniqueConstraint(fields=["article", "sha256"], name="revision_sha256_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="revision_sha256_hex"),
            models.CheckConstraint(condition=~Q(text=""), name="revision_text_not_empty"),
        ]

    def __str__(self):
        return f"{self.article} r{self.number}"


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


class Capture(models.Model):
    """One fetch of one URL by a worker: pending -> fetching -> extracting -> done, or failed with a reason.

    A transient failure puts it back to pending (with next_attempt_at) until FETCH_MAX_ATTEMPTS is used up.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        FETCHING = "fetching", "Fetching"
        EXTRACTING = "extracting", "Extracting"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    IN_FLIGHT = (Status.PENDING, Status.FETCHING, Status.EXTRACTING)

    url = models.URLField(max_length=2000)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    final_url = models.URLField(max_length=2000, blank=True)
    redirect_chain = models.JSONField(default=list, blank=True)
    connected_ip = models.GenericIPAddressField(null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    content_type = models.CharField(max_length=200, blank=True, help_text="As declared by the server.")
    sniffed_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    body = models.FileField(upload_to="captures/%Y/%m/%d/", blank=True)
    title = models.CharField(max_length=1000, blank=True)
    text = models.TextField(blank=True)
    extractor = models.CharField(max_length=50, blank=True)
    extractor_version = models.CharField(max_length=50, blank=True)
    error_code = models.CharField(max_length=50, blank=True)
    error_message = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Times a worker took the fetch; bounded by FETCH_MAX_ATTEMPTS."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    extract_attempts = models.PositiveSmallIntegerField(default=0, help_text="Times a worker took the extraction.")
    started_at = models.DateTimeField(null=True, blank=True, help_text="When a worker took the current stage.")
    fetched_at = models.DateTimeField(null=True, blank=True, help_text="When the body was stored.")
    finished_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="When a pending retry is due.")
    # Import by URL: who asked for the article, and the article the extracted text went into.
    import_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="captures")
    import_language = models.CharField(
        max_length=35, blank=True, help_text="The language chosen for the imported article; empty: detected."
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["url", "status", "-finished_at"], name="capture_url_status"),
            models.Index(fields=["status", "started_at"], name="capture_status_started"),
        ]
        constraints = [
            # Evidence citing a URL that is being fetched joins that fetch instead of starting another.
            models.UniqueConstraint(
                fields=["url"],
                condition=Q(status__in=["pending", "fetching", "extracting"]),
                name="capture_one_in_flight",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(sha256__regex=r"^[0-9a-f]{64}$", finished_at__isnull=False),
                name="capture_done_has_hash",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error_code=""), name="capture_failed_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.url} [{self.status}]"

    @property
    def in_flight(self) -> bool:
        return self.status in self.IN_FLIGHT

    @property
    def has_snapshot(self) -> bool:
        return bool(self.body) and bool(self.sha256)


class CaptureCheck(models.Model):
    """One link-rot and drift check of a captured source: fetched again later and compared with the capture."""

    class Status(models.TextChoices):
        UNCHANGED = "unchanged", "Unchanged"
        CHANGED = "changed", "Changed"
        GONE = "gone", "Gone"  # 404 or 410: the page is no longer there
        ERROR = "error", "Error"  # any other failure; says nothing about the page itself

    capture = models.ForeignKey(Capture, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    body_changed = models.BooleanField(null=True, blank=True)
    text_changed = models.BooleanField(null=True, blank=True)
    quotes_gone = models.PositiveIntegerField(default=0, help_text="Evidence quotes no longer found.")
    error_code = models.CharField(max_length=50, blank=True)
    error_message = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["gone", "error"]) | ~Q(error_code=""), name="capturecheck_failure_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.capture.url} {self.status} at {self.checked_at:%Y-%m-%d %H:%M}"


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
        ordering = ["claim_id", "created_at", "id"]  # local columns: see Claim
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
        ordering = ["scale_id", "position"]  # local columns: see Claim
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


class Notice(models.Model):
    """An in-app notice for one user (a published check's article changed, ...); read_at set when dismissed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=32)
    message = models.CharField(max_length=500)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    verdict = models.ForeignKey(Verdict, null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread")]

    def __str__(self):
        return f"{self.user}: {self.message[:60]}"


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
