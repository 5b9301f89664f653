"""The reader's panel updated in place, in Chromium: no page load for a panel action, the message beside it, focus
kept; the same flow with JavaScript off; a pending capture turning done without a reload; the overlap warning of a
new claim and the menu that chooses between overlapping claims."""

from pathlib import Path

import pytest
from django.utils import timezone

from annotations import services
from annotations.demo import EVIDENCE_QUOTE, EVIDENCE_URL
from annotations.models import Capture, Claim, Evidence, Rating, Verdict

from .browser import SELECT_PHRASE, login
from .test_browser import newsroom, no_csp_violations, page  # noqa: F401 - fixtures shared with the workflow tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHRASE = "among the top five arms exporters in the world"
INSIDE = "top five arms exporters"
SHOTS = Path("/work/notes/shots")
# Set once the page has loaded: a full page load (a form posted the old way) would lose it.
MARK_PAGE = "window.__samePage = 'yes'"
SAME_PAGE = "window.__samePage === 'yes'"


def claim_on(newsroom, phrase, **fields):
    revision = newsroom["revision"]
    start = revision.text.index(phrase)
    return services.claim_create(
        actor=newsroom["users"]["editor"],
        revision=revision,
        start=start,
        end=start + len(phrase),
        exact=phrase,
        **{"claim_reviewed": phrase[:75], **fields},
    )


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"inplace-{name}.png"))


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
        const form = e.closest("form");
        return {tag: e.tagName, id: e.id, form: form ? form.id : "", text: e.textContent} }"""
    )


def test_evidence_and_verdict_saved_in_place_with_the_message_beside_them(page, live_server, newsroom):
    claim = claim_on(newsroom, PHRASE, claimant="Vladimir Putin")
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{claim.article_id}/?claim={claim.pk}")
    page.evaluate(MARK_PAGE)

    page.click("#evidence-details summary")
    page.fill("#id_url", EVIDENCE_URL)
    page.select_option("#id_stance", "supports")
    page.fill("#id_quote", EVIDENCE_QUOTE)
    page.click("#evidence-form button[type=submit]")
    page.wait_for_selector("#evidence-form #panel-message")
    assert page.inner_text("#evidence-form #panel-message") == "Evidence added."
    assert page.evaluate(SAME_PAGE)
    assert "SIPRI" in page.inner_text("#evidence-list")
    assert focused(page) == {**focused(page), "tag": "BUTTON", "form": "evidence-form"}
    assert page.is_visible("#evidence-form")  # the section the user opened stays open for the next one
    assert page.url.endswith(f"?claim={claim.pk}")
    assert not page.query_selector(".messages")  # nothing at the top of the page, out of view
    shoot(page, "evidence-added-1280")

    # The panel scrolls on its own at this size: saving the verdict keeps it where it was.
    page.eval_on_selector("#verdict-form", "form => form.scrollIntoView({block: 'center'})")
    scrolled = page.eval_on_selector("#panel", "panel => panel.scrollTop")
    assert scrolled > 0
    page.select_option("#id_rating", label="True")
    page.fill("#id_explanation", "SIPRI ranks Russia third in 2020-24; its exports fell 64%.")
    page.click("#verdict-form button[type=submit]")
    page.wait_for_selector("#verdict-form #panel-message")
    assert page.inner_text("#verdict-form #panel-message") == "Verdict saved."
    assert page.evaluate(SAME_PAGE)
    assert focused(page) == {**focused(page), "tag": "BUTTON", "form": "verdict-form"}
    assert page.eval_on_selector("#panel", "panel => panel.scrollTop") > 0
    assert page.is_visible("#verdict-form button[type=submit]")  # in view inside the panel
    assert Verdict.objects.get(claim=claim).explanation.startswith("SIPRI ranks")

    # Submitting changes the claim's colour in the text: the article text is replaced with the panel.
    assert page.query_selector("#article-text .hl.status-draft")
    page.click("#submit-form button")
    page.wait_for_selector("#article-text .hl.status-in_review")
    assert page.inner_text("#panel-message") == "Submitted for review."
    assert page.evaluate("document.activeElement.id") == "panel-message"
    assert page.evaluate(SAME_PAGE)
    assert Verdict.objects.get(claim=claim).status == Verdict.Status.IN_REVIEW
    shoot(page, "submitted-1280")
    no_csp_violations(page)


def test_a_refused_edit_keeps_the_text_and_focuses_the_field(page, live_server, newsroom):
    claim = claim_on(newsroom, PHRASE)
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{claim.article_id}/?claim={claim.pk}")
    page.evaluate(MARK_PAGE)
    page.click("#claim-edit-details summary")
    too_long = "Russia is, according to its president, among the five largest arms exporters of the world"
    page.fill("#claim-edit-form [name=claim_reviewed]", too_long)
    page.click("#claim-edit-form button[type=submit]")
    page.wait_for_selector("#claim-edit-form #panel-message.error")
    assert page.evaluate(SAME_PAGE)
    assert page.input_value("#claim-edit-form [name=claim_reviewed]") == too_long
    assert page.evaluate("document.activeElement.name") == "claim_reviewed"
    assert "75" in page.inner_text("#claim-edit-form .errorlist")
    shoot(page, "refused-edit-1280")
    no_csp_violations(page)


def test_without_javascript_the_same_forms_post_and_redirect(browser, live_server, newsroom):
    claim = claim_on(newsroom, PHRASE)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{claim.article_id}/?claim={claim.pk}")
    page.click("#evidence-details summary")
    page.fill("#id_url", EVIDENCE_URL)
    page.select_option("#id_stance", "supports")
    with page.expect_navigation():
        page.click("#evidence-form button[type=submit]")
    assert page.url.endswith(f"?claim={claim.pk}#panel")
    assert "Evidence added." in page.inner_text(".messages")
    page.select_option("#id_rating", label="True")
    page.fill("#id_explanation", "SIPRI ranks Russia third.")
    with page.expect_navigation():
        page.click("#verdict-form button[type=submit]")
    assert "Verdict saved." in page.inner_text(".messages")
    assert Evidence.objects.filter(claim=claim).count() == 1
    assert Verdict.objects.get(claim=claim).explanation == "SIPRI ranks Russia third."
    shoot(page, "no-js-390")
    context.close()


def test_a_pending_capture_turns_done_without_a_reload(page, live_server, newsroom):
    editor = newsroom["users"]["editor"]
    claim = claim_on(newsroom, PHRASE)
    evidence = services.evidence_add(
        actor=editor, claim=claim, url=EVIDENCE_URL, stance="supports", quote=EVIDENCE_QUOTE
    )
    rating = Rating.objects.get(label="True")
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="SIPRI ranks Russia third.")
    services.verdict_submit(actor=editor, verdict=verdict)
    polls = []
    page.on("request", lambda r: "evidence-status" in r.url and polls.append(r.url))
    login(page, live_server, "reviewer", "pw-reviewer")
    page.goto(f"{live_server.url}/articles/{claim.article_id}/?claim={claim.pk}")
    page.evaluate(MARK_PAGE)
    status = f'[data-evidence-status="{evidence.pk}"]'
    assert "Pending" in page.inner_text(status)
    assert "1 warning" in page.inner_text("#approve-form .check-summary")  # the capture is pending
    page.wait_for_function("() => performance.getEntriesByType('resource').some(r => r.name.includes('status'))")
    # A worker finishes the capture and the quote check (changed here on the rows, as the worker would).
    Capture.objects.filter(pk=evidence.capture_id).update(
        status=Capture.Status.DONE, finished_at=timezone.now(), sha256="a" * 64
    )
    Evidence.objects.filter(pk=evidence.pk).update(quote_status=Evidence.QuoteStatus.FOUND, quote_start=0, quote_end=9)
    page.wait_for_selector(f"{status}:not([data-pending]) >> text=Done")
    assert "quote found in the source" in page.inner_text(status)
    # What depended on the capture follows: the checklist of the approve form is computed again.
    page.wait_for_selector("#approve-form .check-summary .check-ok")
    assert page.evaluate(SAME_PAGE) and polls
    # Nothing pending any more: no more polling (it asked every 3 s while pending).
    asked = len(polls)
    page.wait_for_timeout(7_000)
    assert len(polls) == asked
    no_csp_violations(page)


def test_a_selection_overlapping_a_claim_is_warned_about_before_it_is_made(page, live_server, newsroom):
    first = claim_on(newsroom, PHRASE)
    login(page, live_server, "editor", "pw-editor")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/articles/{first.article_id}/")
    page.evaluate(MARK_PAGE)
    page.evaluate(SELECT_PHRASE, INSIDE)
    page.keyboard.press("c")
    page.wait_for_selector("#claim-overlap:not([hidden])")
    assert page.get_attribute("#claim-overlap-list a", "href") == f"?claim={first.pk}#panel"
    assert page.inner_text("#claim-overlap-list a") == PHRASE
    assert page.inner_text("#claim-submit") == "Create claim anyway"
    shoot(page, "overlap-warning-1280")
    page.fill("#id_claim_reviewed", "Top five exporter")
    page.click("#claim-submit")
    page.wait_for_selector("#claim-head + #panel-message")
    assert page.inner_text("#panel-message") == "Claim created."
    assert page.evaluate(SAME_PAGE)
    second = Claim.objects.exclude(pk=first.pk).get()
    assert second.exact == INSIDE and page.url.endswith(f"?claim={second.pk}")
    assert page.inner_text("#article-text .hl.selected") == INSIDE  # the new highlight, drawn in place
    shoot(page, "claim-created-1280")

    # A selection elsewhere: no warning.
    page.evaluate(SELECT_PHRASE, "Vladimir Putin")
    page.keyboard.press("c")
    page.wait_for_selector("#claim-form:not([hidden])")
    assert page.is_hidden("#claim-overlap") and page.inner_text("#claim-submit") == "Create claim"
    no_csp_violations(page)


def test_a_claim_made_meanwhile_is_warned_about_by_the_server(page, live_server, newsroom):
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{newsroom['article'].pk}/")
    page.evaluate(MARK_PAGE)
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate(SELECT_PHRASE, INSIDE)
    page.keyboard.press("c")
    page.wait_for_selector("#claim-form:not([hidden])")
    assert page.is_hidden("#claim-overlap")
    meanwhile = claim_on(newsroom, PHRASE)  # a colleague's, after this page was loaded
    page.fill("#id_claimant", "Putin")
    page.click("#claim-submit")
    page.wait_for_selector("#claim-overlap:not([hidden])")
    assert page.get_attribute("#claim-overlap-list a", "href") == f"?claim={meanwhile.pk}#panel"
    assert page.input_value("#id_claimant") == "Putin" and Claim.objects.count() == 1
    page.eval_on_selector("#claim-form", "form => form.scrollIntoView()")
    shoot(page, "overlap-warned-by-server-390")
    page.click("#claim-submit")
    page.wait_for_selector("#claim-head")
    assert Claim.objects.count() == 2 and page.evaluate(SAME_PAGE)


def test_clicking_overlapping_claims_opens_a_menu_to_choose_one(page, live_server, newsroom):
    wide = claim_on(newsroom, PHRASE)
    narrow = claim_on(newsroom, INSIDE)
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{wide.article_id}/")
    overlap = f'#article-text .hl.overlap[data-claims="{narrow.pk} {wide.pk}"]'
    page.click(overlap)
    page.wait_for_selector("#claim-chooser")
    items = page.query_selector_all("#claim-chooser [role=menuitem]")
    assert [i.inner_text() for i in items] == [INSIDE, PHRASE]
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"?claim={narrow.pk}#panel"
    shoot(page, "overlap-chooser-1280")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"?claim={wide.pk}#panel"
    page.keyboard.press("Escape")
    assert page.query_selector("#claim-chooser") is None
    assert page.evaluate("document.activeElement.dataset.claims") == f"{narrow.pk} {wide.pk}"
    # From the keyboard: the overlapping piece is a menu button.
    page.keyboard.press("Enter")
    page.wait_for_selector("#claim-chooser")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"?claim={wide.pk}#panel")
    # j/k still step through every claim, overlapping ones included (in text order).
    with page.expect_navigation():
        page.keyboard.press("j")
    assert f"?claim={narrow.pk}" in page.url
    with page.expect_navigation():
        page.keyboard.press("k")
    assert f"?claim={wide.pk}" in page.url
    # A piece with one claim opens it at once.
    page.goto(f"{live_server.url}/articles/{wide.article_id}/")
    with page.expect_navigation():
        page.click(f'#article-text .hl[data-claims="{wide.pk}"]')
    assert f"?claim={wide.pk}" in page.url
    no_csp_violations(page)


def test_phone_width_in_place_update_and_chooser(page, live_server, newsroom):
    wide = claim_on(newsroom, PHRASE)
    claim_on(newsroom, INSIDE)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{wide.article_id}/?claim={wide.pk}")
    page.evaluate(MARK_PAGE)
    page.click("#evidence-details summary")
    page.fill("#id_url", EVIDENCE_URL)
    page.select_option("#id_stance", "refutes")
    page.click("#evidence-form button[type=submit]")
    page.wait_for_selector("#evidence-form #panel-message")
    assert page.evaluate(SAME_PAGE)
    page.eval_on_selector("#panel-message", "note => note.scrollIntoView({block: 'center'})")
    shoot(page, "evidence-added-390")
    page.eval_on_selector("#article-text .hl.overlap", "mark => mark.scrollIntoView({block: 'center'})")
    page.click("#article-text .hl.overlap")
    page.wait_for_selector("#claim-chooser")
    box = page.eval_on_selector(
        "#claim-chooser", "m => { const r = m.getBoundingClientRect(); return [r.left, r.right] }"
    )
    assert box[0] >= 0 and box[1] <= 390  # inside the screen
    shoot(page, "overlap-chooser-390")
    no_csp_violations(page)


def test_reattach_in_place_on_the_anchoring_page(page, live_server, newsroom):
    claim = claim_on(newsroom, PHRASE)
    editor = newsroom["users"]["editor"]
    text = newsroom["revision"].text.replace(PHRASE, "the third largest arms exporter")
    services.revision_add(actor=editor, article=newsroom["article"], text=text, origin="pasted")
    services.reanchor_article(article_id=claim.article_id, revision_id=None)
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{claim.article_id}/anchoring/")
    page.evaluate(MARK_PAGE)
    page.evaluate(SELECT_PHRASE.replace("article-text", "reattach-text"), "the third largest arms exporter")
    page.click(f"#claim-{claim.pk} .reattach-form button")
    page.wait_for_selector("#reattach-message")
    assert page.inner_text("#reattach-message") == "Claim re-attached to “the third largest arms exporter”."
    assert page.evaluate("document.activeElement.id") == "reattach-message"
    assert page.evaluate(SAME_PAGE)
    claim.refresh_from_db()
    assert claim.anchor_state == Claim.Anchoring.ANCHORED
    no_csp_violations(page)
