"""New revisions made in the app: an editor's edited or pasted text, or the article's page fetched again.

Both end in the articles service's revision store (the one a re-import with the same URL goes through), so numbering,
the text's hash, the search index and the activity record are the same whichever way a revision arrives.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import roles
from ..limits import MAX_ARTICLE_TEXT
from ..models import Article, ArticleRevision, Capture
from .articles import article_import_from_url, revision_store, text_sha256
from .common import Conflict, require
from .reanchoring import ReanchorResult, reanchor_now_or_on_commit


@dataclass(frozen=True)
class RevisionEditResult:
    revision: ArticleRevision
    # The re-anchoring of the claims when it ran in this request; None when a worker does it (a large article) or
    # there was no claim to re-anchor.
    reanchored: ReanchorResult | None


def text_problem(text: str) -> str | None:
    """Why `text` cannot be a revision's text (a message for the user), or None."""
    if not text or not text.strip():
        return "The article text is empty."
    if "\x00" in text:
        return "The text contains NUL characters (is it a binary file?)."
    if len(text) > MAX_ARTICLE_TEXT:
        return f"The text is at most {MAX_ARTICLE_TEXT:,} characters ({len(text):,} given)."
    return None


def revision_edit(*, actor, article: Article, text: str, base_revision_id: int | None) -> RevisionEditResult:
    """Make `text` the article's newest revision (origin edited), written by an editor from `base_revision_id`.

    Refuses (ValidationError on `text`) a text that is already one of the article's revisions: the current one
    (nothing changed), or an older one (a revision's text is unique per article, so the past cannot be repeated
    as a new revision). A revision added by someone else since the editor opened `base_revision_id` is a Conflict:
    the editor's text was made on an older text and would silently undo theirs.
    """
    require(actor, *roles.ADD_REVISIONS)
    if problem := text_problem(text):
        raise ValidationError({"text": problem})
    with transaction.atomic():
        Article.objects.select_for_update().filter(pk=article.pk).exists()
        current = article.revisions.order_by("-number").first()
        if base_revision_id is not None and current is not None and current.pk != base_revision_id:
            raise Conflict(
                f"Revision {current.number} was added while you were editing; your text is kept below. "
                "Compare it with the new revision, then save again to replace it.",
                current_version=current.pk,
            )
        same = article.revisions.filter(sha256=text_sha256(text)).values_list("number", flat=True).first()
        if same is not None and current is not None and same == current.number:
            raise ValidationError(
                {"text": f"This is the text of revision {same}, the current one: nothing changed, so no new revision."}
            )
        if same is not None:
            raise ValidationError(
                {
                    "text": f"This text is the same as revision {same}. A new revision must differ from every earlier "
                    "one; change the text (or keep the current revision)."
                }
            )
        revision, _created = revision_store(
            actor=actor, article=article, text=text, origin=ArticleRevision.Origin.EDITED
        )
        reanchored = reanchor_now_or_on_commit(article_id=article.pk, revision=revision)
    return RevisionEditResult(revision, reanchored)


def article_refetch(*, actor, article: Article) -> Capture:
    """Fetch the article's URL again through the capture pipeline; a changed text becomes its newest revision.

    Always a new fetch (not the capture made when the article was imported). When the worker is done, the capture's
    title and text go through the import by URL, which adds a revision (origin fetched) only if the text changed.
    """
    require(actor, *roles.ADD_REVISIONS)
    if not article.url:
        raise ValidationError({"url": "This article has no URL to fetch: paste or edit its text instead."})
    return article_import_from_url(actor=actor, url=article.url, language=article.language, fresh=True)
