"""The discussion in Chromium: an editor mentions a reviewer picked from the @ autocomplete with the keyboard, the
comment shows in the panel in place, and the reviewer's inbox has the mention; at desktop and phone width."""

from pathlib import Path

import pytest

from annotations.models import Notification

from .browser import login
from .test_browser import newsroom, no_csp_violations, page  # noqa: F401 - fixtures shared with the workflow tests
from .test_browser_inplace import MARK_PAGE, PHRASE, SAME_PAGE, claim_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots-main")


@pytest.mark.parametrize("width", [1280, 390])
def test_an_editor_mentions_a_reviewer_from_the_autocomplete(page, live_server, newsroom, width):
    claim = claim_on(newsroom, PHRASE)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{claim.article_id}/?claim={claim.pk}")
    page.evaluate(MARK_PAGE)
    page.click("#comment-body")
    page.keyboard.type("Can you check the SIPRI table, @rev")
    page.wait_for_selector("#mention-list:not([hidden]) li")
    options = page.locator("#mention-list li").all_inner_texts()
    assert [o.split()[0] for o in options] == ["@reviewer", "@reviewer2"]
    assert page.get_attribute("#comment-body", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#comment-body", "aria-activedescendant") == "mention-option-1"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")  # picks, does not post
    assert page.input_value("#comment-body") == "Can you check the SIPRI table, @reviewer "
    assert page.locator("#mention-list").is_hidden()
    page.keyboard.type("? See https://www.sipri.org/databases/armstransfers")
    page.screenshot(path=str(SHOTS / f"discussion-typing-{width}.png"), full_page=False)
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("#panel-message")
    assert page.evaluate(SAME_PAGE), "the comment was posted by a page load, not in place"
    assert page.text_content("#panel-message") == "Comment posted."
    comment = page.locator(".discussion .comment").first
    assert comment.locator(".mention").inner_text() == "@reviewer"
    link = comment.locator("a")
    assert link.get_attribute("href") == "https://www.sipri.org/databases/armstransfers"
    assert link.get_attribute("rel") == "nofollow noopener noreferrer"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#discussion").screenshot(path=str(SHOTS / f"discussion-{width}.png"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    no_csp_violations(page)

    told = Notification.objects.get(kind=Notification.Kind.MENTIONED)
    assert told.recipient.username == "reviewer"
    page.context.clear_cookies()
    login(page, live_server, "reviewer", "pw-reviewer")
    page.goto(f"{live_server.url}/inbox/")
    card = page.locator(f'[data-notification="{told.pk}"]')
    assert "Mentioned" in card.inner_text() and "editor mentioned you" in card.inner_text()
