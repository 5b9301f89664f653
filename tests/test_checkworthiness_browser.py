"""Suggested claims in the reader, in Chromium: the toggle, "Claim this" into the claim form, "Dismiss", by keyboard,
at desktop and phone widths, under the strict CSP. SCREENSHOTS=<dir> keeps pictures (suggestions-*.png)."""

import os

import pytest

from annotations.models import Claim
from checkworthiness.models import Dismissal
from checkworthiness.services import suggestions

from .browser import login
from .test_browser import newsroom, no_csp_violations, page  # noqa: F401 - fixtures shared with the workflow tests
from .test_browser_phone import DESKTOP, OVERFLOW, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNDERLINED = """(key) => Array.from(document.querySelectorAll(`#article-text .suggested[data-suggestion="${key}"]`))
  .map((mark) => mark.textContent).join("")"""


def picture(tab, name):
    if os.environ.get("SCREENSHOTS"):
        tab.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], f"suggestions-{name}.png"))


def listed(tab):
    return tab.eval_on_selector_all("#suggestions-list li", "items => items.map((li) => li.dataset.suggestion)")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_toggle_claim_this_and_dismiss_by_keyboard(page, live_server, newsroom, size):
    page.set_viewport_size(size)
    revision = newsroom["revision"]
    best = suggestions(revision, limit=10)
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{newsroom['article'].pk}/")

    page.click("#suggest-toggle")
    page.wait_for_selector("#suggestions-list li")
    assert page.get_attribute("#suggest-toggle", "aria-pressed") == "true"
    keys = listed(page)
    assert keys == [f"{s.start}-{s.end}" for s in best]
    for item in best[:3]:  # each underline is exactly its sentence
        assert page.evaluate(UNDERLINED, f"{item.start}-{item.end}") == item.text
    assert page.evaluate("document.getElementById('article-text').textContent") == revision.text
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.evaluate(OVERFLOW)
    picture(page, f"{'phone' if size is PHONE else 'desktop'}-shown")
    page.locator("#article-text .suggested").nth(2).scroll_into_view_if_needed()
    picture(page, f"{'phone' if size is PHONE else 'desktop'}-underlines")

    # "Claim this" from the keyboard: the claim form opens with the sentence, as a selection would.
    first = best[0]
    page.focus("#suggestions-list li:first-child button[data-action=claim]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#claim-form:not([hidden])")
    assert page.inner_text("#claim-preview").strip() == first.text
    assert page.evaluate("document.activeElement.id") == "id_claimant"
    picture(page, f"{'phone' if size is PHONE else 'desktop'}-claim-form")
    page.click("#claim-form button[type=submit]")
    page.wait_for_selector(".claim-panel")
    claim = Claim.objects.get()
    assert (claim.start, claim.end, claim.exact) == (first.start, first.end, first.text)
    # The text was replaced in place: the suggestions are asked again, and the claimed sentence is not among them.
    page.wait_for_selector(f'#suggestions-list li[data-suggestion="{first.start}-{first.end}"]', state="detached")
    page.wait_for_selector("#suggestions-list li")

    # "Dismiss" from the keyboard: recorded, the underline and the entry go, the focus stays in the list.
    second = listed(page)[0]
    page.focus("#suggestions-list li:first-child button[data-action=dismiss]")
    page.keyboard.press("Enter")
    page.wait_for_selector(f'#suggestions-list li[data-suggestion="{second}"]', state="detached")
    start, end = map(int, second.split("-"))
    assert Dismissal.objects.filter(revision=revision, start=start, end=end, dismissed_by__username="editor").exists()
    assert page.evaluate(UNDERLINED, second) == ""
    assert page.evaluate("document.activeElement.dataset.action") == "dismiss"
    assert "Dismissed" in page.inner_text("#suggestions-status")

    # The toggle is remembered for the article; the dismissed sentence is not suggested again. s hides them.
    page.reload()
    page.wait_for_selector("#suggestions-list li")
    assert second not in listed(page)
    page.keyboard.press("s")
    assert page.is_hidden("#suggestions") and page.locator("#article-text .suggested").count() == 0
    no_csp_violations(page)
