"""Articles and their immutable revisions: imported from text, or from the capture of their URL."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .. import fetching, languages, roles
from ..limits import max_length
from ..models import Article, ArticleRevision, Capture, Source
from ..selectors import source_for_url
from .captures import capture_request, fetch_policy
from .common import http_url_problem, record, require
from .reanchoring import reanchor_on_commit

MAX_TITLE = max_length(Article, "title")
logger = logging.getLogger(__name__)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ImportResult:
    article: Article
    revision: ArticleRevision
    article_created: bool
    revision_created: bool


def article_import(
    *,
    actor,
    title: str,
    text: str,
    origin: str,
    url: str | None = None,
    published_date: date | None = None,
    byline: str = "",
    language: str | None = None,
    outlet: Source | None = None,
) -> ImportResult:
    """Store an article, or add a revision when the URL is known and the text is new. Idempotent.

    `actor` None means the system (management commands, the demo loader); users need add_article.
    `language` is a BCP 47 code; without one it is detected from the title and text ("und" if that fails). It
    is the new article's: a new revision of a known article keeps the article's language.
    """
    if actor is not None:
        require(actor, *roles.IMPORT_ARTICLES)
    title = " ".join((title or "").split())
    errors = {}
    if not title:
        errors["title"] = "The article needs a title."
    elif len(title) > MAX_TITLE:
        errors["title"] = f"The title is longer than {MAX_TITLE} characters."
    if not text or not text.strip():
        errors["text"] = "The article text is empty."
    if "\x00" in (text or ""):
        errors["text"] = "The text contains NUL characters (is it a binary file?)."
    if url:
        url = url.strip()
        if problem := http_url_problem(url):
            errors["url"] = problem
    if origin not in ArticleRevision.Origin.values:
        errors["origin"] = f"Unknown origin {origin!r}."
    if language:
        try:
            language = languages.normalise(language)
        except ValueError as error:
            errors["language"] = str(error)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        article = Article.objects.select_for_update().filter(url=url).first() if url else None
        article_created = article is None
        if article_created:
            language = language or languages.detect(f"{title}\n{text}")
            article = Article.objects.create(
                title=title,
                url=url or None,
                outlet=outlet or (source_for_url(url) if url else None),
                byline=byline,
                published_date=published_date,
                language=language,
                created_by=actor,
            )
            record(actor=actor, action="article_created", article=article, to_state="stored")
        revision, revision_created = _revision_add(actor=actor, article=article, text=text, origin=origin)
        if not article_created and revision_created and title != article.title:
            article.title = title
            article.save(update_fields=["title", "updated_at"])
        if revision_created:
            reanchor_on_commit(article_id=article.pk, revision_id=revision.pk)
    return ImportResult(article, revision, article_created, revision_created)


def revision_add(*, actor, article: Article, text: str, origin: str) -> tuple[ArticleRevision, bool]:
    """Add a new immutable revision (nothing happens if the same text is already a revision)."""
    require(actor, *roles.ADD_REVISIONS)
    if not text or not text.strip():
        raise ValidationError({"text": "The article text is empty."})
    with transaction.atomic():
        Article.objects.select_for_update().get(pk=article.pk)
        revision, created = _revision_add(actor=actor, article=article, text=text, origin=origin)
        if created:
            reanchor_on_commit(article_id=article.pk, revision_id=revision.pk)
    return revision, created


def _revision_add(*, actor, article: Article, text: str, origin: str) -> tuple[ArticleRevision, bool]:
    # Callers hold the article's row lock, so numbering cannot race.
    digest = text_sha256(text)
    existing = article.revisions.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    latest = article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    revision = ArticleRevision.objects.create(
        article=article, number=latest + 1, text=text, sha256=digest, origin=origin, created_by=actor
    )
    record(actor=actor, action="revision_added", article=article, to_state=f"r{revision.number}")
    # The article's search vector follows by trigger (migration 0009).
    return revision, True


def revision_store(*, actor, article: Article, text: str, origin: str) -> tuple[ArticleRevision, bool]:
    """Store `text` as the article's next revision; re-anchoring is the caller's (services.revisions). The article's
    search vector follows by trigger (migration 0009).

    The caller holds the article's row lock and has checked the role and the text.
    """
    return _revision_add(actor=actor, article=article, text=text, origin=origin)


# --- Import by URL, through the capture pipeline ------------------------------------------------------------------


def article_import_from_url(*, actor, url: str, language: str = "", fresh: bool = False) -> Capture:
    """Import (or update) the article at `url` through the capture pipeline.

    Returns the capture. When it is done, its extracted title and text become the article's newest revision
    (origin fetched); that happens here if a recent capture exists (unless `fresh`), else when the worker has
    extracted it (article_import_from_capture).
    """
    require(actor, *roles.IMPORT_ARTICLES)
    url = (url or "").strip()
    if problem := http_url_problem(url):
        raise ValidationError({"url": problem})
    try:
        fetching.parse_url(url, fetch_policy())
    except fetching.FetchError as exc:
        raise ValidationError({"url": exc.message}) from None
    try:
        language = languages.normalise(language) if language else ""
    except ValueError as error:
        raise ValidationError({"language": str(error)}) from None
    with transaction.atomic():
        capture = capture_request(url, fresh=fresh)
        waiting = Capture.objects.filter(pk=capture.pk, status__in=Capture.IN_FLIGHT).update(
            import_requested_by=actor, import_language=language
        )
        capture.refresh_from_db()
        record(actor=actor, action="article_import_requested", comment=url)
    if not waiting:
        if capture.status == Capture.Status.DONE:
            _import_capture(capture, actor, language)
        capture.refresh_from_db()
    return capture


def article_import_from_capture(capture: Capture) -> Article | None:
    """Finish the import asked for while `capture` was in flight, now that it is done (the extraction task's on_done).

    Nothing when no import was asked for, it is finished already, or the one who asked has been deleted since.
    """
    if capture.import_requested_by_id is None or capture.article_id is not None:
        return None
    # The user may have been deleted since the capture's row was read (the column would be NULL by now).
    requester = get_user_model().objects.filter(pk=capture.import_requested_by_id).first()
    return None if requester is None else _import_capture(capture, requester)


def _import_capture(capture: Capture, actor, language: str | None = None) -> Article | None:
    try:
        result = article_import(
            actor=actor,
            title=capture.title or capture.final_url or capture.url,
            text=capture.text,
            origin=ArticleRevision.Origin.FETCHED,
            url=capture.url,
            language=language or capture.import_language or None,
        )
    except (ValidationError, PermissionDenied) as exc:
        logger.warning("Capture %s could not be imported as an article: %s", capture.pk, exc)
        return None
    Capture.objects.filter(pk=capture.pk).update(article=result.article)
    return result.article
