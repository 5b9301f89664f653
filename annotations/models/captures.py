"""Captures of cited URLs (fetch, extraction) and their later link-rot and drift checks."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .articles import Article


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
