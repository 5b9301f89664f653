"""Blind second review in Chromium: a reviewer asks for a second rating in the claim panel; the second checker
rates without the first verdict anywhere in the page, then sees both side by side; at desktop and phone width."""

from pathlib import Path

import pytest

from annotations import services
from annotations.models import Rating, SecondReview

from .browser import login
from .factories import add_evidence
from .test_browser import newsroom, no_csp_violations, page  # noqa: F401 - fixtures shared with the workflow tests
from .test_browser_inplace import MARK_PAGE, PHRASE, SAME_PAGE, claim_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots-main")
EXPLANATION = "SIPRI's 2023 ranking puts Russia third."


def claim_in_review(newsroom):
    editor = newsroom["users"]["editor"]
    claim = claim_on(newsroom, PHRASE, claimant="Vladimir Putin")
    add_evidence(claim, editor)
    first = Rating.objects.get(label="True")
    verdict = services.verdict_save(actor=editor, claim=claim, rating=first, explanation=EXPLANATION)
    services.verdict_submit(actor=editor, verdict=verdict)
    return claim


@pytest.mark.parametrize("width", [1280, 390])
def test_a_second_checker_rates_blind_then_sees_both(page, live_server, newsroom, width):
    claim = claim_in_review(newsroom)
    page.set_viewport_size({"width": width, "height": 900})
    reader = f"{live_server.url}/articles/{claim.article_id}/?claim={claim.pk}"
    login(page, live_server, "reviewer", "pw-reviewer")
    page.goto(reader)
    page.evaluate(MARK_PAGE)
    page.click("#second-review-details summary")
    page.select_option("#second-required", "yes")
    page.select_option("#second-checker", "reviewer2")
    page.click("#second-review-form button[type=submit]")
    page.wait_for_selector("#panel-message")
    assert page.evaluate(SAME_PAGE), "saved by a page load, not in place"
    assert page.text_content("#panel-message") == "Second rating settings saved."
    assert "Second checker: reviewer2, not rated yet" in " ".join(page.text_content("#second-review-summary").split())
    no_csp_violations(page)

    page.context.clear_cookies()
    login(page, live_server, "reviewer2", "pw-reviewer2")
    page.goto(reader)
    page.evaluate(MARK_PAGE)
    assert page.is_visible("#second-review-blind") and page.is_visible("#verdict-hidden")
    assert EXPLANATION not in page.content() and not page.locator("#approve-form").count()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#second-review").screenshot(path=str(SHOTS / f"second-review-blind-{width}.png"))
    page.select_option("#second_rating", label="Mostly true")
    page.fill("#second_explanation", "Third or fourth, depending on the year.")
    page.click("#second-rating-form button[type=submit]")
    page.wait_for_selector("#rating-comparison")
    assert page.evaluate(SAME_PAGE), "rated by a page load, not in place"
    comparison = " ".join(page.text_content("#rating-comparison").split())
    assert "First verdict · editor True" in comparison and "Second rating · reviewer2 Mostly true" in comparison
    assert "The two ratings differ" in comparison and EXPLANATION in comparison
    assert SecondReview.objects.get(claim=claim).rating.label == "Mostly true"
    page.locator("#second-review").screenshot(path=str(SHOTS / f"second-review-compared-{width}.png"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    no_csp_violations(page)

    page.context.clear_cookies()
    login(page, live_server, "reviewer", "pw-reviewer")
    page.goto(reader)
    assert page.is_visible("#rating-comparison") and page.is_visible("#approve-form button.confirm-open")
