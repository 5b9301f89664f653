"""Reads that more than one caller needs (web views, API, tasks)."""

from urllib.parse import urlsplit

from django.db.models import Prefetch, QuerySet

from . import corpus_links
from .models import Article, ArticleRevision, Capture, CaptureCheck, Claim, Evidence, Source, Verdict


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def source_for_url(url: str) -> Source | None:
    """The registry entry whose domain is the URL's host or a parent of it (the longest such domain wins).

    Walking the host's parent domains avoids a public-suffix list: the registry itself says which domains count.
    """
    host = host_of(url)
    if not host:
        return None
    labels = host.split(".")
    candidates = [".".join(labels[i:]) for i in range(len(labels))]
    found = {source.domain: source for source in Source.objects.filter(domain__in=candidates)}
    for candidate in candidates:
        if candidate in found:
            return found[candidate]
    return None


# A claim's verdict (a left join: None while it has none, see models.verdict_of) with its rating and people.
VERDICT_WITH_PEOPLE = ("verdict__rating", "verdict__author", "verdict__reviewer")


def current_revision(article: Article) -> ArticleRevision | None:
    return article.revisions.order_by("-number").first()


def claims_for_reader(revision: ArticleRevision, *, with_evidence: bool = True) -> QuerySet[Claim]:
    """An article's claims with their verdicts, and their evidence when a claim is open in the panel."""
    claims = (
        Claim.objects.filter(article_id=revision.article_id)
        # The links into the corpus (corpus_links): the "Already checked" flags of the list and the panel.
        .select_related("author", "revision", "withdrawn_by", *VERDICT_WITH_PEOPLE, *corpus_links.FOR_READER)
        # The reader shows the current revision's text, read once.
        .defer("revision__text", *corpus_links.unread(*corpus_links.FOR_READER))
    )
    if with_evidence:
        # A capture's extracted text can be a whole web page; the reader shows only its status.
        evidence = Evidence.objects.select_related("source", "capture", "author").defer("capture__text")
        claims = claims.prefetch_related(Prefetch("evidence", queryset=evidence))
    return claims


def claims_for_api() -> QuerySet[Claim]:
    """Claims with everything the API and the Web Annotation export show, in a fixed number of queries."""
    return (
        Claim.objects.select_related(
            "author", "article", *VERDICT_WITH_PEOPLE, "assignment__checker", "assignment__reviewer"
        )
        .select_related("assignment__assigned_by", *corpus_links.FOR_API)
        .defer("article__search_vector", *corpus_links.unread(f"{corpus_links.SAME_AS}__fact_check"))
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("author")))
    )


def published_verdicts() -> QuerySet[Verdict]:
    """Published verdicts with what their ClaimReview needs, newest first."""
    return (
        Verdict.objects.filter(status=Verdict.Status.PUBLISHED)
        # The claim's same-claim link is its ClaimReview's itemReviewed.sameAs (corpus_links).
        .select_related("claim__article__outlet", "rating", f"claim__{corpus_links.SAME_AS}__fact_check")
        .defer("claim__article__search_vector", *corpus_links.unread(f"claim__{corpus_links.SAME_AS}__fact_check"))
        .order_by("-published_at", "-id")
    )


def capture_for_page() -> QuerySet[Capture]:
    """Captures with what their page and the API show: the evidence citing them and the link-rot checks."""
    return Capture.objects.select_related("article").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("claim__article")),
        Prefetch("checks", queryset=CaptureCheck.objects.order_by("-checked_at", "-id")),
    )
