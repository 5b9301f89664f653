"""Re-fetching an article's URL from the revision editor, through the real capture pipeline (tests/test_captures.py
explains the fixtures: a local server inside the fetch safety net, the broker replaced by a list)."""

import pytest

from annotations import services
from annotations.models import ArticleRevision, Claim

from . import test_captures
from .factories import make_claim
from .local_server import article_html
from .test_captures import run

# The capture tests' fixtures (the first three apply to every test here, as they do there).
jail, media, fetch_settings = test_captures.jail, test_captures.media, test_captures.fetch_settings
server, sent = test_captures.server, test_captures.sent

pytestmark = pytest.mark.django_db

FIRST = ["Russia continues to be among the top five arms exporters in the world, Putin said on Friday."]
SECOND = ["MOSCOW.", *FIRST, "The Kremlin repeated it on Saturday."]


def imported(editor, server, sent, paragraphs):
    url = server.add("/story", article_html("Arms exports", paragraphs))
    capture = services.article_import_from_url(actor=editor, url=url)
    run([("fetch_capture", capture.pk, None)])  # sent at commit, which a test transaction never reaches
    run(sent)
    capture.refresh_from_db()
    return capture.article


def test_refetch_adds_the_changed_page_as_a_fetched_revision_and_claims_follow(
    editor, server, sent, django_capture_on_commit_callbacks
):
    article = imported(editor, server, sent, FIRST)
    claim = make_claim(article.revisions.get(), editor, "among the top five arms exporters in the world")
    server.add("/story", article_html("Arms exports, updated", SECOND))
    with django_capture_on_commit_callbacks(execute=True):
        capture = services.article_refetch(actor=editor, article=article)
    assert sent == [("fetch_capture", capture.pk, None)]  # a new fetch, though the first capture is recent
    with django_capture_on_commit_callbacks(execute=False) as reanchoring:
        assert run(sent) == ["fetched", "done"]
    newest = article.revisions.order_by("-number").first()
    assert (newest.number, newest.origin) == (2, ArticleRevision.Origin.FETCHED)
    assert "The Kremlin repeated it on Saturday." in newest.text
    article.refresh_from_db()
    assert article.title == "Arms exports, updated"
    # The worker's import re-anchors through its task, after commit, as every import does.
    assert len(reanchoring) == 1
    services.reanchor_article(article_id=article.pk)
    claim.refresh_from_db()
    assert (claim.anchor_revision, claim.anchor_state) == (newest, Claim.Anchoring.MOVED)


def test_refetch_of_an_unchanged_page_adds_no_revision(editor, server, sent, django_capture_on_commit_callbacks):
    article = imported(editor, server, sent, FIRST)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_refetch(actor=editor, article=article)
    assert run(sent) == ["fetched", "done"]
    assert article.revisions.count() == 1
