"""Articles and their immutable revisions (the highest number is the current text)."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from .sources import Source

# The shapes of BCP 47 tags an article's language may take (annotations.languages normalises them first).
LANGUAGE_TAG_REGEX = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$"


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
        ordering = ["article_id", "number"]  # local columns: see Claim (claims.py)
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
