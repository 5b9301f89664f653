"""The revision editor in Chromium: an editor writes a new revision from the reader, the claims are on the new text at
the first render, the diff shows what changed; and while a worker re-anchors, the reader says so and then shows them.

With SCREENSHOTS set to a folder, the pages are also saved there at 1280x800 and 390x844 (revisions-*.png).
"""

import os

import pytest

from annotations.models import Claim
from annotations.services import reanchoring

from . import test_browser
from .browser import login
from .factories import make_claim
from .test_browser import PHRASE, no_csp_violations

page, newsroom = test_browser.page, test_browser.newsroom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATELINE = "MOSCOW, 16 May (updated). "


def shoot(page, name: str) -> None:
    if not os.environ.get("SCREENSHOTS"):
        return
    folder = os.environ["SCREENSHOTS"]
    size = page.viewport_size
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=os.path.join(folder, f"revisions-{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=os.path.join(folder, f"revisions-{name}-390.png"), full_page=True)
    page.set_viewport_size(size)


def open_editor(page, live_server, article):
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.click("#new-revision")
    page.wait_for_selector("textarea#id_text")


def test_editor_writes_a_new_revision_and_sees_its_claims_and_changes(page, live_server, newsroom):
    article, text = newsroom["article"], newsroom["revision"].text
    claim = make_claim(newsroom["revision"], newsroom["users"]["editor"], PHRASE)
    open_editor(page, live_server, article)
    assert page.input_value("textarea#id_text") == text  # the current text, every character and line break
    assert page.is_visible("text=Re-fetch from the URL")
    shoot(page, "editor")

    page.fill("textarea#id_text", DATELINE + text.replace("top five", "top three"))
    page.click("text=Save as revision 2")
    page.wait_for_selector(".messages >> text=Saved revision 2.")
    assert "Claims re-attached: 1 changed." in page.inner_text(".messages")
    assert "revision 2 of 2" in page.inner_text(".article-head")
    newest = article.revisions.get(number=2)
    assert newest.text == DATELINE + text.replace("top five", "top three")  # the browser's CRLFs undone
    highlight = page.locator(f'.hl[data-claims="{claim.pk}"]')
    assert highlight.inner_text() == PHRASE.replace("top five", "top three")
    assert page.locator("#reanchor-pending").count() == 0
    assert "Not found in this revision" not in page.inner_text("#panel")
    shoot(page, "reader-after")
    no_csp_violations(page)

    page.click(".article-head >> text=changes")
    page.wait_for_selector(".diff")
    assert page.locator(".diff ins").first.inner_text() == DATELINE
    assert [page.locator(".diff del").nth(i).inner_text() for i in range(page.locator(".diff del").count())] == [
        "five"
    ]
    shoot(page, "diff")
    page.click("text=all revisions")
    page.wait_for_selector("table.revisions")
    assert "Edited by editor" in page.inner_text("#revision-2")
    shoot(page, "list")
    no_csp_violations(page)


def test_unchanged_text_is_refused_on_the_field_in_the_browser(page, live_server, newsroom):
    open_editor(page, live_server, newsroom["article"])
    page.click("text=Save as revision 2")
    page.wait_for_selector(".field.has-error")
    assert "nothing changed, so no new revision" in page.inner_text(".field.has-error")
    assert newsroom["article"].revisions.count() == 1
    shoot(page, "unchanged")


def test_reader_says_claims_are_reattaching_then_shows_them_when_the_worker_is_done(
    page, live_server, newsroom, monkeypatch
):
    monkeypatch.setattr(reanchoring, "INLINE_BUDGET", 0)  # as for a large article: the worker re-anchors
    article, text = newsroom["article"], newsroom["revision"].text
    claim = make_claim(newsroom["revision"], newsroom["users"]["editor"], PHRASE)
    open_editor(page, live_server, article)
    page.fill("textarea#id_text", DATELINE + text)
    page.click("text=Save as revision 2")
    page.wait_for_selector("#reanchor-pending")
    assert "Re-attaching to revision 2…" in page.inner_text("#reanchor-pending")
    panel = page.inner_text("#panel")
    assert "Re-attaching…" in panel and "Not found in this revision" not in panel and "Anchored" not in panel
    shoot(page, "reattaching")

    reanchoring.reanchor_article(article_id=article.pk)  # what the worker does; the page notices by itself
    page.wait_for_selector(f'.hl[data-claims="{claim.pk}"]', timeout=30_000)
    assert page.locator("#reanchor-pending").count() == 0
    assert Claim.objects.get(pk=claim.pk).anchor_state == Claim.Anchoring.MOVED
    no_csp_violations(page)
