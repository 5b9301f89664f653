"""Has this been checked already, in Chromium: the new-claim form and the claim's panel list the corpus's best
matches, one click links the claim as the same claim, the panel and the claim list say so; a repeat inside the
article is warned about before the claim is made. SCREENSHOTS=<dir> keeps pictures at desktop and phone widths."""

import os

import pytest
from django.contrib.auth import get_user_model

from annotations import services
from matching.embedding import embed_pending
from matching.models import SameClaim
from tests.browser import SELECT_PHRASE, login
from tests.test_browser import newsroom, no_csp_violations, page  # noqa: F401 - fixtures shared with the workflow tests

from .claims_support import imported

# serialized_rollback as the corpus's worker tests after these (see test_claim_match_worker.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHRASE = "Russia continues to be among the top five arms exporters in the world"
STATEMENT = "Russia is among the top five arms exporters"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
REPEATED = "Russia remains one of the five biggest arms exporters on the planet"
PASTED = f"{REPEATED}, the minister said on Monday.\n\nLater he repeated it: {REPEATED}. Nobody asked why."

# Selects the last occurrence of a phrase (SELECT_PHRASE selects the first).
SELECT_LAST = SELECT_PHRASE.replace("root.textContent.indexOf(phrase)", "root.textContent.lastIndexOf(phrase)")


@pytest.fixture
def corpus(newsroom):
    checks = imported(
        ("Russia is one of the world's five largest arms exporters", "Yes: third, after the US and France"),
        ("The Eiffel Tower was built for the 1889 World's Fair.", "Yes, for the Exposition"),
        ("Vaccines cause autism in children.", "There is no link between vaccines and autism"),
    )
    assert embed_pending() == 3
    return checks


def shot(page, name: str):
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], f"matching-{name}.png"))


def open_form(page, phrase: str, select=SELECT_PHRASE):
    page.evaluate(select, phrase)
    page.keyboard.press("c")
    page.wait_for_selector("#claim-form:not([hidden])")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_form_and_the_panel_show_the_matches_and_one_click_links_the_claim(
    page,
    live_server,
    newsroom,
    corpus,
    viewport,
):
    name = "desktop" if viewport is DESKTOP else "phone"
    page.set_viewport_size(viewport)
    article = newsroom["article"]
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    open_form(page, PHRASE)
    first = page.locator("#claim-form-matches .match").first
    first.wait_for()
    assert "Russia is one of the world's five largest arms exporters" in first.inner_text()
    facts = " ".join(first.locator(".match-facts").inner_text().split())
    assert facts.startswith("False Checker, 5 Mar 2024 · score ")
    assert page.locator("#claim-form-matches .match-link").count() == 0  # linking comes once the claim exists
    page.fill("#id_claimant", "Vladimir Putin")
    page.fill("#claim-form #id_claim_reviewed", STATEMENT)  # the statement is asked for again, debounced
    page.wait_for_function(
        "() => document.querySelector('#claim-form-matches .match a').textContent.includes('five largest')"
    )
    page.locator("#claim-form-matches").scroll_into_view_if_needed()
    shot(page, f"form-{name}")
    page.click("#claim-submit")
    page.wait_for_selector(".claim-panel")

    match = page.locator("#claim-matches .match").first
    match.wait_for()
    shot(page, f"panel-{name}")
    match.locator("button", has_text="Same claim").click()
    page.wait_for_selector("#same-as-flag")
    flag = " ".join(page.inner_text("#same-as-flag").split())
    assert flag.startswith("Same claim as: False by Checker, 5 Mar 2024 — Russia is one of the world's five largest")
    assert "Linked as the same claim." in page.inner_text("#panel")
    page.locator("#claim-matches .match.linked").first.wait_for()
    assert SameClaim.objects.get().fact_check == corpus[0]
    page.locator("#same-as-flag").scroll_into_view_if_needed()
    shot(page, f"linked-{name}")
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    assert "Same claim as: False by Checker" in page.inner_text(".claim-list")
    shot(page, f"list-{name}")
    no_csp_violations(page)


def test_a_repeat_inside_the_article_is_warned_about_before_and_after(page, live_server, newsroom, corpus):
    editor = get_user_model().objects.get(username="editor")
    result = services.article_import(actor=editor, title="Said twice", text=PASTED, origin="pasted")
    revision = result.revision
    start = PASTED.index(REPEATED)
    services.claim_create(
        actor=editor, revision=revision, start=start, end=start + len(REPEATED), exact=REPEATED, claim_reviewed=""
    )
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{result.article.pk}/")
    # The same sentence, later in the text: the form says so at once, with a link to the first claim.
    open_form(page, REPEATED, SELECT_LAST)
    page.wait_for_selector("#claim-repeat:not([hidden])")
    assert "This repeats a claim already made in this article:" in page.inner_text("#claim-repeat")
    assert page.inner_text("#claim-submit") == "Create claim anyway"
    page.click("#claim-submit")
    page.wait_for_selector(".claim-panel")
    assert "Also claimed in this article:" in page.inner_text("#claim-repeats")

    # Another sentence, but the short statement typed repeats the first claim: the server says so when posted.
    open_form(page, "Nobody asked why")
    assert page.locator("#claim-repeat").is_hidden()
    page.fill("#claim-form #id_claim_reviewed", REPEATED)
    page.click("#claim-submit")
    page.wait_for_selector("#claim-repeat:not([hidden])")
    assert "it repeats a claim already made in this article" in page.inner_text("#panel")
    assert page.locator("#claim-repeat-list li").count() == 2
    page.click("#claim-submit")  # "Create claim anyway"
    page.wait_for_selector("#panel-message >> text=Claim created.")
    assert page.locator("#claim-repeats li").count() == 2  # both earlier claims say the same
    no_csp_violations(page)
