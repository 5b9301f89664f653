"""Deliberate approvals and no lost input, in Chromium: the confirmation dialog, its checklist, kept text, counters."""

import pytest
from django.contrib.auth import get_user_model

from annotations import services
from annotations.models import Activity, Claim, Rating, Verdict

from .browser import login
from .factories import add_evidence, make_claim
from .test_browser import PHRASE, newsroom, no_csp_violations, page  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
STATEMENT = "Russia is among the top five arms exporters"


def user(name):
    return get_user_model().objects.get(username=name)


def draft(revision, *, evidence=True, statement=STATEMENT):
    editor = user("editor")
    claim = make_claim(revision, editor, PHRASE, claim_reviewed=statement)
    if evidence:
        add_evidence(claim, editor)
    return services.verdict_save(
        actor=editor, claim=claim, rating=Rating.objects.get(label="True"), explanation="SIPRI ranks Russia third."
    )


def in_review(revision, **kwargs):
    return services.verdict_submit(actor=user("editor"), verdict=draft(revision, **kwargs))


def open_claim(tab, live_server, verdict):
    tab.goto(f"{live_server.url}/articles/{verdict.claim.article_id}/?claim={verdict.claim_id}")
    tab.wait_for_selector(".claim-panel")


def status(verdict):
    return Verdict.objects.get(pk=verdict.pk).status


def test_a_key_opens_the_confirmation_esc_cancels_enter_approves(page, live_server, newsroom):
    verdict = in_review(newsroom["revision"])
    login(page, live_server, "reviewer", "pw-reviewer")
    open_claim(page, live_server, verdict)
    page.keyboard.press("a")
    dialog = page.locator("#approve-form dialog")
    dialog.wait_for(state="visible")
    assert "The capture of https://www.sipri.org/x is still in progress." in dialog.inner_text()
    assert status(verdict) == "in_review"  # opening is not approving

    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    # Focus is back on the button that opened it (the dialog's close event, a task after it is hidden).
    # A function, not an expression: polling a bare expression evaluates a string, which the strict CSP refuses.
    page.wait_for_function("() => document.activeElement.classList.contains('confirm-open')", timeout=5000)
    assert status(verdict) == "in_review"

    page.fill("#approve-comment", "Well sourced.")
    page.locator("#approve-comment").blur()
    page.keyboard.press("a")
    dialog.wait_for(state="visible")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("#publish-form")
    approved = Verdict.objects.get(pk=verdict.pk)
    assert approved.status == "approved" and approved.review_comment == "Well sourced."
    assert not Activity.objects.filter(action="checklist_override").exists()
    no_csp_violations(page)


def test_a_blocker_needs_a_reason_which_is_recorded(page, live_server, newsroom):
    verdict = in_review(newsroom["revision"], evidence=False)
    login(page, live_server, "reviewer", "pw-reviewer")
    open_claim(page, live_server, verdict)
    assert "1 blocker" in page.inner_text("#approve-form .check-summary")
    page.keyboard.press("a")
    dialog = page.locator("#approve-form dialog")
    dialog.wait_for(state="visible")
    assert dialog.locator(".check-blockers").inner_text() == "The claim has no evidence."
    assert page.evaluate("document.activeElement.id") == "approve-override"
    page.keyboard.press("Enter")  # no reason yet: the browser asks for one and nothing is posted
    assert page.evaluate("document.getElementById('approve-override').validity.valueMissing")
    assert dialog.is_visible() and status(verdict) == "in_review"
    page.keyboard.type("Evidence is in the print edition.")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert status(verdict) == "approved"
    override = Activity.objects.get(action="checklist_override")
    assert "no_evidence" in override.comment and "print edition" in override.comment
    assert "overrode the checklist" in page.inner_text(".activity")
    no_csp_violations(page)


def test_publish_confirms_in_the_queue_and_cancel_publishes_nothing(page, live_server, newsroom):
    verdict = services.verdict_approve(actor=user("reviewer2"), verdict=in_review(newsroom["revision"]))
    login(page, live_server, "reviewer", "pw-reviewer")
    page.goto(f"{live_server.url}/review/?state=approved")
    assert "1 warning" in page.inner_text("table.queue .check-summary")
    page.click("table.queue .confirm-open")
    dialog = page.locator("table.queue dialog")
    dialog.wait_for(state="visible")
    assert "Publish this fact-check?" in dialog.inner_text()
    dialog.locator(".confirm-cancel").click()
    dialog.wait_for(state="hidden")
    assert status(verdict) == "approved"
    page.click("table.queue .confirm-open")
    with page.expect_navigation():
        dialog.locator(".confirm-ok").click()
    assert status(verdict) == "published"
    no_csp_violations(page)


def test_publish_in_the_reader_panel_confirms_too(page, live_server, newsroom):
    verdict = services.verdict_approve(actor=user("reviewer2"), verdict=in_review(newsroom["revision"]))
    login(page, live_server, "reviewer", "pw-reviewer")
    open_claim(page, live_server, verdict)
    page.click("#publish-form .confirm-open")
    page.locator("#publish-form dialog").wait_for(state="visible")
    assert status(verdict) == "approved"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("text=Public page")
    assert status(verdict) == "published"


def test_without_javascript_the_checklist_is_in_the_page_and_a_reason_is_required(
    browser,
    live_server,
    newsroom,
):
    verdict = in_review(newsroom["revision"], evidence=False)
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    login(plain, live_server, "reviewer", "pw-reviewer")
    open_claim(plain, live_server, verdict)
    assert "The claim has no evidence." in plain.inner_text("#approve-form .confirm-box")
    plain.check("#approve-form input[name=confirm]")
    plain.fill("#approve-override", " ")  # the browser accepts a blank; the server does not
    plain.click("#approve-form .confirm-open")
    assert "Not approved: the claim has no evidence" in plain.inner_text("#review-errors")
    assert status(verdict) == "in_review"
    plain.check("#approve-form input[name=confirm]")
    plain.fill("#approve-override", "Print edition.")
    plain.click("#approve-form .confirm-open")
    plain.wait_for_selector("#publish-form")
    assert status(verdict) == "approved"
    context.close()


def test_stale_submit_keeps_the_text_the_editor_typed(page, live_server, newsroom):
    verdict = draft(newsroom["revision"])
    login(page, live_server, "editor", "pw-editor")
    open_claim(page, live_server, verdict)
    page.fill("#id_explanation", "My careful rewrite, typed while someone else submitted.")
    page.select_option("#id_rating", label="Mostly true")
    services.verdict_submit(actor=user("reviewer"), verdict=verdict)  # B submits meanwhile
    page.click("#verdict-form button[type=submit]")
    page.wait_for_selector("#unsaved-verdict")
    assert "changed by someone else" in page.inner_text(".alert.conflict")
    assert page.input_value("#unsaved-explanation") == "My careful rewrite, typed while someone else submitted."
    assert page.evaluate("document.getElementById('unsaved-explanation').readOnly")
    assert "Mostly true" in page.inner_text("#unsaved-verdict")
    assert Verdict.objects.get(pk=verdict.pk).explanation == "SIPRI ranks Russia third."
    no_csp_violations(page)


def test_two_tabs_the_second_save_keeps_its_text_and_shows_the_saved_one(page, live_server, newsroom):
    verdict = draft(newsroom["revision"])
    login(page, live_server, "editor", "pw-editor")
    open_claim(page, live_server, verdict)
    other = page.context.new_page()
    open_claim(other, live_server, verdict)
    other.fill("#id_explanation", "Saved from the other tab.")
    other.click("#verdict-form button[type=submit]")
    other.wait_for_selector("text=Verdict saved.")
    page.fill("#id_explanation", "Typed in this tab.")
    response = None
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.click("#verdict-form button[type=submit]")
    response = info.value
    assert response.status == 409
    assert page.input_value("#id_explanation") == "Typed in this tab."
    assert "Saved now:" in page.inner_text(".alert.conflict")
    assert "Saved from the other tab." in page.inner_text(".alert.conflict")
    with page.expect_navigation():
        page.click("#verdict-form button[type=submit]")  # saving again deliberately replaces it
    assert Verdict.objects.get(pk=verdict.pk).explanation == "Typed in this tab."


def test_counter_updates_and_an_over_long_paste_is_not_cut(page, live_server, newsroom):
    verdict = draft(newsroom["revision"])
    login(page, live_server, "editor", "pw-editor")
    open_claim(page, live_server, verdict)
    page.click("summary:has-text('Edit claimant and statement')")
    field = page.locator(".claim-panel #id_claim_reviewed")
    assert field.get_attribute("maxlength") is None and field.get_attribute("data-maxlength") == "75"
    counter = page.locator(".claim-panel #id_claim_reviewed + .char-count")
    assert counter.inner_text() == f"{len(STATEMENT)} / 75"
    field.fill("")
    field.focus()
    pasted = "Russia is, according to the Kremlin, among the five largest arms exporters of the world today"
    page.keyboard.insert_text(pasted)  # as a paste arrives
    assert field.input_value() == pasted  # nothing cut
    assert counter.inner_text() == f"{len(pasted)} / 75"
    assert "over" in counter.get_attribute("class")
    page.click(".claim-panel form[action$='/edit/'] button[type=submit]")
    page.wait_for_selector(".claim-panel .has-error")
    assert f"Short statement is at most 75 characters ({len(pasted)} given)." in page.inner_text(".claim-panel")
    assert page.locator(".claim-panel #id_claim_reviewed").input_value() == pasted
    assert Claim.objects.get(pk=verdict.claim_id).claim_reviewed == STATEMENT
    no_csp_violations(page)
