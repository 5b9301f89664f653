"""The quote check in Chromium: a misquoted evidence quote shows its word diff in the reader's claim panel."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from annotations import services
from annotations.demo import CLAIM_TEXT, EVIDENCE_QUOTE, EVIDENCE_URL
from annotations.models import Capture
from tests.local_server import SOURCE_TEXT

from .browser import login
from .test_browser import newsroom, no_csp_violations, page  # noqa: F401 - fixtures shared with the workflow tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MISQUOTE = "The five largest arms exporters in 2020–24 were the United States, Russia, France, China and Germany."


def test_a_misquote_shows_as_a_diff_and_a_faithful_quote_as_found(page, live_server, newsroom):
    # A capture of the fact sheet that is already done: evidence citing its URL is checked at once, no fetch.
    Capture.objects.create(
        url=EVIDENCE_URL, status=Capture.Status.DONE, text=SOURCE_TEXT, sha256="0" * 64, finished_at=timezone.now()
    )
    editor = get_user_model().objects.get(username="editor")
    revision = newsroom["revision"]
    start = revision.text.index(CLAIM_TEXT)
    claim = services.claim_create(
        actor=editor, revision=revision, start=start, end=start + len(CLAIM_TEXT), exact=CLAIM_TEXT
    )
    for quote in (EVIDENCE_QUOTE, MISQUOTE):
        services.evidence_add(actor=editor, claim=claim, url=EVIDENCE_URL, stance="supports", quote=quote)

    login(page, live_server, "editor", "pw-editor")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/articles/{revision.article_id}/?claim={claim.pk}")
    faithful, misquoted = page.locator(".evidence-list .evidence").all()
    assert "quote found in the source" in faithful.inner_text()
    assert faithful.locator(".quote-found").count() == 1 and faithful.locator(".quote-diff").count() == 0
    status = misquoted.locator(".quote-differs")
    assert "quote differs from the source" in status.inner_text()
    changes = misquoted.locator(".quote-change")
    assert [changes.nth(i).inner_text() for i in range(changes.count())] == ["Russia France → France Russia"]
    assert misquoted.locator(".quote-change del").inner_text() == "Russia France"
    assert misquoted.locator(".quote-change ins").inner_text() == "France Russia"
    # Amber, never the green of a found quote.
    assert status.evaluate("e => getComputedStyle(e).color") == "rgb(138, 90, 0)"
    assert faithful.locator(".quote-found").evaluate("e => getComputedStyle(e).color") == "rgb(28, 107, 52)"
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "quote-diff-1280.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "quote-diff-390.png"), full_page=True)
    no_csp_violations(page)
