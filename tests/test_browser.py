"""The newsroom workflow in a real browser: Debian's Chromium driven by Playwright against a live server."""

import json

import pytest
from django.contrib.auth import get_user_model

from annotations import demo, services
from annotations.demo import EVIDENCE_QUOTE, EVIDENCE_URL
from annotations.models import Claim, Evidence, Rating, Verdict

from .browser import CSP_WATCH, SELECT_PHRASE, login, logout
from .conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHRASE = "among the top five arms exporters in the world"


@pytest.fixture
def page(page):
    page.add_init_script(CSP_WATCH)
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def newsroom(transactional_db):
    users = {
        "editor": make_user("editor", "Editors"),
        "reviewer": make_user("reviewer", "Reviewers"),
        "reviewer2": make_user("reviewer2", "Reviewers"),
    }
    # The demo's reference data and seed article, without its worked example (the test makes its own claim).
    demo.load_rating_scale()
    demo.load_sources()
    result = demo.import_seed_article()
    return {"users": users, "article": result.article, "revision": result.revision}


def no_csp_violations(page):
    assert page.evaluate("window.__cspViolations") == []
    assert not [m for m in page.console_errors if "Content Security Policy" in m]


def create_claim(page, phrase, claimant="", statement=""):
    page.evaluate(SELECT_PHRASE, phrase)
    page.keyboard.press("c")
    page.wait_for_selector("#claim-form:not([hidden])")
    selectors = json.loads(page.input_value("#claim-form input[name=selectors]"))
    assert selectors[1] == {**selectors[1], "type": "TextQuoteSelector", "exact": phrase}
    if claimant:
        page.fill("#id_claimant", claimant)
    if statement:
        page.fill("#id_claim_reviewed", statement)
    page.click("#claim-form button[type=submit]")
    page.wait_for_selector(".claim-panel")


def test_editor_claims_and_reviewer_publishes(page, live_server, newsroom):
    article = newsroom["article"]
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    create_claim(page, PHRASE, "Vladimir Putin", "Russia is among the top five arms exporters")
    claim = Claim.objects.get()
    text = newsroom["revision"].text
    assert (claim.start, claim.end, claim.exact) == (text.index(PHRASE), text.index(PHRASE) + len(PHRASE), PHRASE)
    assert page.inner_text(".hl.selected") == PHRASE

    page.click("#evidence-details summary")
    page.fill("#id_url", EVIDENCE_URL)
    page.select_option("#id_stance", "supports")
    page.fill("#id_quote", EVIDENCE_QUOTE)
    page.fill("#id_note", "Russia 7.8% of global exports; down 64% from 2015-19.")
    page.click("#evidence-form button[type=submit]")
    page.wait_for_selector(".evidence-list .evidence >> text=SIPRI")
    assert "research institute" in page.inner_text(".evidence-list")

    page.select_option("#id_rating", label="True")
    page.fill("#id_explanation", "SIPRI ranks Russia third in 2020-24; its exports fell 64%.")
    page.click("#verdict-form button[type=submit]")
    page.click("#submit-form button")
    page.wait_for_selector(".chip.status-in_review")
    no_csp_violations(page)
    logout(page)

    login(page, live_server, "reviewer", "pw-reviewer")
    page.goto(f"{live_server.url}/review/")
    assert "Waiting for review 1" in " ".join(page.inner_text(".tabs").split())
    page.click("table.queue a.button")
    page.wait_for_selector("#approve-form")
    page.keyboard.press("a")  # the approve shortcut opens its confirmation
    page.wait_for_selector("#approve-form dialog[open]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#publish-form")
    page.click("#publish-form button.confirm-open")
    page.click("#publish-form dialog .confirm-ok")
    page.wait_for_selector("text=Public page")
    verdict = Verdict.objects.get()
    assert verdict.status == "published" and verdict.reviewer.username == "reviewer"
    no_csp_violations(page)
    logout(page)

    page.goto(f"{live_server.url}/fact-checks/{claim.pk}/")
    assert page.inner_text(".verdict-box strong") == "True"
    document = json.loads(page.inner_text('script[type="application/ld+json"]'))
    assert document["@type"] == "ClaimReview"
    assert document["claimReviewed"] == "Russia is among the top five arms exporters"
    assert document["reviewRating"]["alternateName"] == "True" and document["reviewRating"]["ratingValue"] == 5
    assert page.inner_text("mark") == PHRASE
    no_csp_violations(page)


def test_reviewer_cannot_approve_own_verdict(page, live_server, newsroom):
    revision = newsroom["revision"]
    reviewer = get_user_model().objects.get(username="reviewer")
    start = revision.text.index(PHRASE)
    claim = services.claim_create(
        actor=reviewer,
        revision=revision,
        start=start,
        end=start + len(PHRASE),
        exact=PHRASE,
        claim_reviewed="Russia is among the top five arms exporters",
    )
    verdict = services.verdict_save(
        actor=reviewer, claim=claim, rating=Rating.objects.get(label="True"), explanation="Mine."
    )
    services.verdict_submit(actor=reviewer, verdict=verdict)
    login(page, live_server, "reviewer", "pw-reviewer")
    page.goto(f"{live_server.url}/articles/{revision.article_id}/?claim={claim.pk}")
    assert page.locator("#approve-form").count() == 0
    assert "Two-person rule" in page.inner_text(".claim-panel")
    # Forcing the request anyway is refused by the server.
    status = page.evaluate(
        """async ([url, version]) => {
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            const body = new FormData();
            body.append("version", version);
            body.append("confirm", "on");
            const r = await fetch(url, {method: "POST", headers: {"X-CSRFToken": token}, body});
            return r.status; }""",
        [f"/verdicts/{verdict.pk}/approve/", Verdict.objects.get().version],
    )
    assert status == 403
    assert Verdict.objects.get().status == "in_review"


def test_script_in_note_or_explanation_is_text_and_never_runs(page, live_server, newsroom):
    revision = newsroom["revision"]
    editor = get_user_model().objects.get(username="editor")
    start = revision.text.index(PHRASE)
    claim = services.claim_create(
        actor=editor,
        revision=revision,
        start=start,
        end=start + len(PHRASE),
        exact=PHRASE,
        claimant="<script>window.__xss = 'claimant'</script>",
    )
    payload = "<script>window.__xss = 'note'</script><img src=x onerror=\"window.__xss='img'\">"
    services.evidence_add(
        actor=editor, claim=claim, url="https://www.sipri.org/x", stance="refutes", note=payload, quote=payload
    )
    services.verdict_save(
        actor=editor,
        claim=claim,
        rating=Rating.objects.get(label="False"),
        explanation="<script>window.__xss = 'explanation'</script>",
    )
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{revision.article_id}/?claim={claim.pk}")
    assert "<script>window.__xss = 'note'</script>" in page.inner_text(".evidence-list")
    assert "<script>window.__xss = 'claimant'</script>" in page.inner_text(".facts")
    assert "window.__xss = 'explanation'" in page.input_value("#id_explanation")
    assert page.evaluate("window.__xss") is None
    no_csp_violations(page)


UNICODE_TEXT = (
    "Café prices rose 7 % in Zürich ☕ last year.\n\n"
    "The mayor said: “Ünïcödé 🎉 works — even with emoji 👩‍👩‍👧 and\ttabs.”\n"
    "   Indented line with  double  spaces.\n\nFinal 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 claim 🚀 here."
)


@pytest.mark.parametrize(
    "phrase",
    [
        "Zürich ☕ last",
        "“Ünïcödé 🎉 works — even with emoji 👩‍👩‍👧 and\ttabs.”",
        "double  spaces.\n\nFinal 𝔘𝔫𝔦",
        "claim 🚀 here.",
    ],
)
def test_offsets_agree_for_newlines_accents_and_emoji(page, live_server, newsroom, phrase):
    editor = get_user_model().objects.get(username="editor")
    result = services.article_import(actor=editor, title="Unicode", text=UNICODE_TEXT, origin="pasted")
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{result.article.pk}/")
    assert page.evaluate("document.getElementById('article-text').textContent") == UNICODE_TEXT
    create_claim(page, phrase)
    claim = Claim.objects.get(article=result.article)
    start = UNICODE_TEXT.index(phrase)
    assert (claim.start, claim.end, claim.exact) == (start, start + len(phrase), phrase)
    assert claim.prefix == UNICODE_TEXT[max(0, start - 32) : start]
    assert page.inner_text(".hl.selected").replace("\r", "") == phrase
    no_csp_violations(page)


def test_shortcuts_move_between_claims_and_show_help(page, live_server, newsroom):
    revision = newsroom["revision"]
    editor = get_user_model().objects.get(username="editor")
    claims = []
    for phrase in ("Russia continues to be", PHRASE, "Vladimir Putin said on Friday"):  # overlapping and adjacent
        start = revision.text.index(phrase)
        claims.append(
            services.claim_create(actor=editor, revision=revision, start=start, end=start + len(phrase), exact=phrase)
        )
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{revision.article_id}/")
    assert page.evaluate("document.getElementById('article-text').textContent") == revision.text
    page.keyboard.press("j")
    page.wait_for_url(f"**/?claim={claims[0].pk}")
    page.keyboard.press("j")
    page.wait_for_url(f"**/?claim={claims[1].pk}")
    page.keyboard.press("k")
    page.wait_for_url(f"**/?claim={claims[0].pk}")
    page.keyboard.press("?")
    assert page.is_visible("#shortcut-help")
    assert "Create a claim" in page.inner_text("#shortcut-help")
    page.keyboard.press("Escape")
    assert not page.is_visible("#shortcut-help")
    page.click(f'[data-claims~="{claims[2].pk}"]')
    page.wait_for_url(f"**/?claim={claims[2].pk}")
    no_csp_violations(page)


def test_api_docs_run_without_csp_violations(page, live_server, newsroom):
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock")
    no_csp_violations(page)


def test_selection_on_changed_text_is_refused_with_a_message(page, live_server, newsroom):
    revision = newsroom["revision"]
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{revision.article_id}/")
    page.evaluate(SELECT_PHRASE, PHRASE)
    page.keyboard.press("c")
    page.evaluate("""() => {
        const field = document.querySelector("#claim-form input[name=selectors]");
        field.value = field.value.replace("among the top five", "among the top three");
    }""")
    page.click("#claim-form button[type=submit]")
    page.wait_for_selector("#claim-form .errorlist")  # the form comes back in place with the error
    assert "does not match the article" in page.inner_text("#claim-form")
    assert not Claim.objects.exists()
    assert not Evidence.objects.exists()
