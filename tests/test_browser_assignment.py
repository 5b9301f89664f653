"""Assigning a claim from its panel in Chromium: in place (no page load), the message beside the section, the
summary updated; an editor's "Take it"; at desktop and phone width."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from annotations.models import Assignment

from .browser import login
from .test_browser import newsroom, no_csp_violations, page  # noqa: F401 - fixtures shared with the workflow tests
from .test_browser_inplace import MARK_PAGE, PHRASE, SAME_PAGE, claim_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots-main")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_reviewer_assigns_a_claim_in_place_and_an_editor_takes_another(page, live_server, newsroom, width):
    claim = claim_on(newsroom, PHRASE)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "reviewer", "pw-reviewer")
    page.goto(f"{live_server.url}/articles/{claim.article_id}/?claim={claim.pk}")
    page.evaluate(MARK_PAGE)
    assert page.text_content("#assignment-summary").strip() == "Nobody is assigned."
    page.click("#assignment-details summary")
    page.select_option("#assign-checker", "editor")
    page.select_option("#assign-reviewer", "reviewer2")
    due = timezone.localdate() + datetime.timedelta(days=2)
    page.fill("#assign-due", due.isoformat())
    page.click("#assignment-form button[type=submit]")
    page.wait_for_selector("#panel-message")
    assert page.evaluate(SAME_PAGE), "the assignment was saved by a page load, not in place"
    assert page.text_content("#panel-message") == "Assignment saved."
    summary = " ".join(page.text_content("#assignment-summary").split())
    assert summary == f"Checker: editor · Reviewer: reviewer2 · due {due:%-d %b %Y}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#claim-assignment").screenshot(path=str(SHOTS / f"assignment-{width}.png"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    no_csp_violations(page)

    # A refusal comes back beside the form, naming the field.
    page.select_option("#assign-checker", "reviewer2")
    page.click("#assignment-form button[type=submit]")
    page.wait_for_selector("#panel-message.error")
    assert "Two-person rule" in page.text_content("#panel-message")
    assert Assignment.objects.get(claim=claim).checker.username == "editor"

    other = claim_on(newsroom, "Russia")
    page.context.clear_cookies()
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{other.article_id}/?claim={other.pk}")
    assert not page.locator("#assignment-form").count()
    page.click("#take-button")
    page.wait_for_selector("#panel-message")
    assert page.text_content("#panel-message") == "You check this claim now."
    assert "Checker: editor" in " ".join(page.text_content("#assignment-summary").split())
    assert not page.locator("#take-button").count()
