"""Staff pages on a phone (390x844) and right-to-left text, in Chromium: the editor's and the reviewer's whole flow
with no horizontal scroll on any page, the menu folded behind its button, the reader's panel below the text with a
way back, touch targets 44 px tall, and Arabic read right to left in the reader, its panel and the public pages.
SCREENSHOTS=<dir> keeps a picture of each page visited (phone-*.png)."""

import os

import pytest
from django.contrib.auth import get_user_model

from annotations import demo, services
from annotations.demo import EVIDENCE_QUOTE, EVIDENCE_URL
from annotations.models import Claim, Rating, Verdict

from .browser import SELECT_PHRASE, login, logout
from .conftest import make_user
from .factories import add_evidence, make_claim
from .test_browser import newsroom, no_csp_violations, page  # noqa: F401 - fixtures shared with the workflow tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PHRASE = "Russia has significant growth potential in all areas of defense industry cooperation"
TOUCH = 44  # px: the smallest touch target WCAG 2.5.5 and Apple's guidelines ask for

# What is wider than the window, for the failure message: the innermost elements that stick out.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const element of document.querySelectorAll("body *")) {
    const right = element.getBoundingClientRect().right;
    if (right <= width + 0.5) continue;
    if ([...element.children].some((child) => child.getBoundingClientRect().right > width + 0.5)) continue;
    wide.push(element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + " " + element.className);
  }
  return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide: wide.slice(0, 8) };
}"""

ARABIC_TITLE = "صادرات الأسلحة الروسية"
ARABIC = (
    "قال الرئيس إن روسيا لا تزال من بين أكبر خمسة مصدرين للأسلحة في العالم، وإن الطلب يتزايد بنسبة 7.8% منذ عام 2020. "
    "وأضاف أن الصادرات ستنمو في السنوات المقبلة."
)
ARABIC_QUOTE = "روسيا لا تزال من بين أكبر خمسة مصدرين للأسلحة في العالم"


def no_horizontal_scroll(tab, name: str):
    """The page is no wider than the window (and, with SCREENSHOTS set, a picture of it is kept)."""
    state = tab.evaluate(OVERFLOW)
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (name, state)
    if os.environ.get("SCREENSHOTS"):
        # The reader as the window shows it (its bars are sticky); lists and forms whole.
        whole = not tab.locator("#article-text").count()
        tab.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], f"phone-{name}.png"), full_page=whole)


def box(tab, selector: str) -> dict:
    return tab.locator(selector).bounding_box()


def touch_target(tab, selector: str):
    """Tall enough to tap, and inside the screen's width."""
    rect = box(tab, selector)
    assert rect["height"] >= TOUCH, (selector, rect)
    assert rect["x"] >= 0 and rect["x"] + rect["width"] <= tab.viewport_size["width"], (selector, rect)


def in_view(tab, selector: str) -> bool:
    return tab.eval_on_selector(
        selector, "e => { const r = e.getBoundingClientRect(); return r.bottom > 0 && r.top < window.innerHeight; }"
    )


def direction(tab, selector: str) -> str:
    return tab.eval_on_selector(selector, "e => getComputedStyle(e).direction")


def go_by_menu(tab, link: str):
    """Open the folded menu (it must open) and follow one of its links."""
    assert tab.is_visible("#menu-toggle") and not tab.is_visible("#site-menu .nav")
    tab.click("#menu-toggle")
    assert tab.get_attribute("#menu-toggle", "aria-expanded") == "true"
    assert tab.is_visible("#site-menu .nav") and tab.is_visible("#site-menu .who")
    touch_target(tab, f"#site-menu {link}")
    with tab.expect_navigation():
        tab.click(f"#site-menu {link}")


def test_editor_then_reviewer_at_phone_width(page, live_server, newsroom):
    article = newsroom["article"]
    page.set_viewport_size(PHONE)
    login(page, live_server, "editor", "pw-editor")
    no_horizontal_scroll(page, "editor-home")
    go_by_menu(page, "nav >> text=Articles")
    no_horizontal_scroll(page, "articles")
    with page.expect_navigation():
        page.click(f'table.list a[href="/articles/{article.pk}/"]')
    no_horizontal_scroll(page, "reader")
    # One column: the panel is below the text.
    assert box(page, "#panel")["y"] >= box(page, "#article-text")["y"] + box(page, "#article-text")["height"]
    assert not in_view(page, "#back-to-text")

    # Select a sentence in the middle of the text and claim it: the form comes into view, far below.
    page.evaluate(SELECT_PHRASE, PHRASE)
    page.evaluate(
        "() => window.scrollTo(0, window.getSelection().getRangeAt(0).getBoundingClientRect().top + scrollY - 300)"
    )
    spot = page.evaluate("window.scrollY")
    assert spot > 0
    touch_target(page, "#claim-button")
    page.click("#claim-button")
    page.wait_for_selector("#claim-form:not([hidden])")
    assert in_view(page, "#claim-form h2") and in_view(page, "#claim-preview")
    assert page.evaluate("document.activeElement.id") == "id_claimant"
    page.fill("#id_claimant", "Vladimir Putin")
    page.fill("#id_claim_reviewed", "Russia can grow in every area of defence cooperation")
    page.click("#claim-form button[type=submit]")
    page.wait_for_selector(".claim-panel")
    claim = Claim.objects.get()
    assert claim.exact == PHRASE
    no_horizontal_scroll(page, "reader-claim")
    assert in_view(page, ".claim-panel")

    # Back to the text: where the reader was, the new claim's highlight in sight.
    touch_target(page, "#back-to-text")
    page.click("#back-to-text")
    assert in_view(page, ".hl.selected") and page.inner_text(".hl.selected") == PHRASE
    assert abs(page.evaluate("window.scrollY") - spot) < 5

    # Down to the panel again, evidence, a verdict, submitted.
    touch_target(page, "#to-panel")
    page.click("#to-panel")
    assert in_view(page, ".claim-panel")
    touch_target(page, "#evidence-details summary")
    page.click("#evidence-details summary")
    page.fill("#id_url", EVIDENCE_URL)
    page.select_option("#id_stance", "supports")
    page.fill("#id_quote", EVIDENCE_QUOTE)
    touch_target(page, "#evidence-form button[type=submit]")
    page.click("#evidence-form button[type=submit]")
    page.wait_for_selector(".evidence-list .evidence >> text=SIPRI")
    no_horizontal_scroll(page, "reader-evidence")
    page.select_option("#id_rating", label="Mostly true")
    page.fill("#id_explanation", "Russia's arms exports fell by 64%; it is still third.")
    touch_target(page, "#verdict-form button[type=submit]")
    page.click("#verdict-form button[type=submit]")
    page.wait_for_selector("#submit-form")
    touch_target(page, "#submit-form button")
    page.click("#submit-form button")
    page.wait_for_selector(".claim-panel .chip.status-in_review")
    no_horizontal_scroll(page, "reader-submitted")
    go_by_menu(page, "#my-verdicts-link")
    no_horizontal_scroll(page, "my-verdicts")
    no_csp_violations(page)
    logout(page)

    login(page, live_server, "reviewer", "pw-reviewer")
    page.goto(f"{live_server.url}/articles/")
    go_by_menu(page, "#queue-link")
    no_horizontal_scroll(page, "review-queue")
    touch_target(page, "table.queue a.button")
    with page.expect_navigation():
        page.click("table.queue a.button")
    # Opened from the queue: the claim's panel, not the top of the article.
    assert in_view(page, ".claim-panel .panel-nav")
    no_horizontal_scroll(page, "reader-review")
    touch_target(page, "#approve-form .confirm-open")
    touch_target(page, "#changes-form button[type=submit]")
    page.click("#approve-form .confirm-open")
    page.wait_for_selector("#approve-form dialog[open]")
    dialog = box(page, "#approve-form dialog[open]")
    assert dialog["x"] >= 0 and dialog["x"] + dialog["width"] <= PHONE["width"]
    touch_target(page, "#approve-form dialog .confirm-ok")
    no_horizontal_scroll(page, "approve-dialog")
    page.click("#approve-form dialog .confirm-ok")
    page.wait_for_selector("#publish-form")
    no_horizontal_scroll(page, "reader-approved")
    touch_target(page, "#publish-form .confirm-open")
    page.click("#publish-form .confirm-open")
    page.wait_for_selector("#publish-form dialog[open]")
    touch_target(page, "#publish-form dialog .confirm-ok")
    page.click("#publish-form dialog .confirm-ok")
    page.wait_for_selector("text=Public page")
    verdict = Verdict.objects.get()
    assert verdict.status == "published" and verdict.reviewer.username == "reviewer"
    no_csp_violations(page)

    with page.expect_navigation():
        page.click("text=Public page")
    no_horizontal_scroll(page, "public-factcheck")
    page.goto(f"{live_server.url}/fact-checks/")
    no_horizontal_scroll(page, "public-list")
    no_csp_violations(page)


@pytest.fixture
def desk(newsroom):
    """Something on every staff page: a claim in review, one approved, a capture, notifications."""
    users = get_user_model().objects.in_bulk(["editor", "reviewer"], field_name="username")
    revision = newsroom["revision"]
    in_review = make_claim(revision, users["editor"], PHRASE)
    add_evidence(in_review, users["editor"], url=EVIDENCE_URL, quote=EVIDENCE_QUOTE)
    rating = Rating.objects.get(label="True")
    verdict = services.verdict_save(actor=users["editor"], claim=in_review, rating=rating, explanation="SIPRI.")
    services.verdict_submit(actor=users["editor"], verdict=verdict)
    approved = make_claim(revision, users["editor"], "among the top five arms exporters in the world")
    add_evidence(approved, users["editor"], url=EVIDENCE_URL)
    verdict = services.verdict_save(actor=users["editor"], claim=approved, rating=rating, explanation="Third.")
    verdict = services.verdict_submit(actor=users["editor"], verdict=verdict)
    services.verdict_approve(actor=users["reviewer"], verdict=verdict)
    return {"article": newsroom["article"], "in_review": in_review, "approved": approved}


def test_no_staff_page_scrolls_sideways_on_a_phone(page, live_server, desk):
    article, claim = desk["article"], desk["in_review"]
    capture = claim.evidence.get().capture
    # A revision without one claim's sentence: the anchoring review lists it, with the text to re-attach it on.
    editor = get_user_model().objects.get(username="editor")
    revised = services.revision_add(
        actor=editor,
        article=article,
        text=newsroom_text(article).replace(PHRASE, "Growth was mentioned."),
        origin="pasted",
    )[0]
    services.reanchor_article(article_id=article.pk, revision_id=revised.pk)
    assert Claim.objects.get(pk=claim.pk).anchor_state == "orphaned"
    page.set_viewport_size(PHONE)
    login(page, live_server, "reviewer", "pw-reviewer")
    pages = {
        "articles": "/articles/",
        "reader-list": f"/articles/{article.pk}/",
        "reader-open": f"/articles/{article.pk}/?claim={claim.pk}",
        "queue": "/review/",
        "queue-approved": "/review/?state=approved",
        "my-verdicts": "/my-verdicts/",
        "claim-search": "/claims/?q=arms",
        "sources": "/sources/",
        "import": "/articles/import/",
        "anchoring": f"/articles/{article.pk}/anchoring/",
        "capture": f"/captures/{capture.pk}/",
        "inbox": "/inbox/",
    }
    for name, url in pages.items():
        page.goto(live_server.url + url)
        no_horizontal_scroll(page, name)
    page.goto(f"{live_server.url}/review/?state=approved")
    touch_target(page, "table.queue .queue-publish .confirm-open")
    no_csp_violations(page)


def newsroom_text(article) -> str:
    return article.revisions.order_by("-number").first().text


def test_menu_folds_on_a_phone_and_not_on_a_desktop(page, live_server, desk):
    page.set_viewport_size(PHONE)
    login(page, live_server, "reviewer", "pw-reviewer")
    page.goto(f"{live_server.url}/articles/")
    toggle = page.locator("#menu-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not page.is_visible("#queue-link") and not page.is_visible(".who form button")
    assert "new items" in toggle.inner_text()  # the counts inside say something waits
    touch_target(page, "#menu-toggle")
    toggle.click()
    assert page.is_visible("#queue-link") and page.is_visible(".who form button")
    assert page.inner_text("#queue-link .count") == "1"
    no_horizontal_scroll(page, "menu-open")
    page.keyboard.press("Escape")  # closes it and gives the focus back to the button
    assert not page.is_visible("#queue-link") and toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "menu-toggle"
    toggle.click()
    page.click("main h1")  # a tap elsewhere closes it too
    assert not page.is_visible("#queue-link")

    page.set_viewport_size(DESKTOP)
    assert not toggle.is_visible() and page.is_visible("#queue-link") and page.is_visible(".who form button")
    no_csp_violations(page)


def test_without_javascript_the_menu_wraps_and_nothing_scrolls_sideways(browser, live_server, desk):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        login(page, live_server, "reviewer", "pw-reviewer")
        reader = f"/articles/{desk['article'].pk}/?claim={desk['in_review'].pk}"
        for name, url in {"articles": "/articles/", "reader": reader, "queue": "/review/"}.items():
            page.goto(live_server.url + url)
            assert not page.is_visible("#menu-toggle")
            assert page.is_visible("#queue-link") and page.is_visible(".who form button")
            no_horizontal_scroll(page, f"no-js-{name}")
        # The bar below the text still leads back to it.
        page.goto(f"{live_server.url}/articles/{desk['article'].pk}/?claim={desk['in_review'].pk}")
        assert page.get_attribute("#back-to-text", "href") == "#article-text"
        assert page.is_visible("#back-to-text")
    finally:
        context.close()


@pytest.fixture
def arabic(transactional_db):
    editor = make_user("editor", "Editors")
    reviewer = make_user("reviewer", "Reviewers")
    demo.load_rating_scale()
    article = services.article_import(actor=editor, title=ARABIC_TITLE, text=ARABIC, origin="pasted", language="ar")
    claim = make_claim(
        article.revision, editor, ARABIC_QUOTE, claimant="الرئيس", claim_reviewed="روسيا من أكبر خمسة مصدرين"
    )
    add_evidence(claim, editor, url=EVIDENCE_URL, quote=EVIDENCE_QUOTE)
    verdict = services.verdict_save(
        actor=editor, claim=claim, rating=Rating.objects.get(label="True"), explanation="SIPRI: third."
    )
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    services.verdict_publish(actor=reviewer, verdict=verdict)
    return claim


def test_arabic_reads_right_to_left_in_the_reader_panel_and_public_pages(page, live_server, arabic):
    page.set_viewport_size(PHONE)
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{arabic.article_id}/")
    for selector in ("#article-text", ".article-head h1", ".claim-list .claim-text"):
        assert direction(page, selector) == "rtl", selector
        assert page.get_attribute(selector, "lang") == "ar", selector
    assert direction(page, ".toolbar") == "ltr" and page.get_attribute("html", "lang") == "en"  # the chrome
    no_horizontal_scroll(page, "arabic-reader")

    page.goto(f"{live_server.url}/articles/{arabic.article_id}/?claim={arabic.pk}")
    assert direction(page, ".claim-panel .quote") == "rtl"
    assert page.inner_text(".claim-panel .quote") == ARABIC_QUOTE
    assert direction(page, ".claim-panel .statement") == "rtl"
    assert direction(page, ".claim-panel .facts dt") == "ltr"
    no_horizontal_scroll(page, "arabic-panel")
    no_csp_violations(page)

    page.goto(f"{live_server.url}/my-verdicts/")
    assert direction(page, "a.claim-text") == "rtl"
    logout(page)

    page.goto(f"{live_server.url}/fact-checks/{arabic.pk}/")
    for selector in ("h1.claim-text", ".in-context", ".article-title"):
        assert direction(page, selector) == "rtl", selector
        assert page.get_attribute(selector, "lang") == "ar", selector
    assert direction(page, ".byline") == "ltr" and direction(page, ".verdict-box") == "ltr"
    no_horizontal_scroll(page, "arabic-public")
    page.goto(f"{live_server.url}/fact-checks/")
    assert direction(page, ".cards a.claim-text") == "rtl" and direction(page, ".cards .article-title") == "rtl"
    no_csp_violations(page)


FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def scroll_to(page, y: int):
    page.evaluate("(y) => window.scrollTo(0, y)", y)
    page.evaluate(FRAMES)  # reader_phone.js notes the place on the next animation frame


def test_back_to_the_text_returns_to_the_place_last_read(page, live_server, desk):
    article, claim = desk["article"], desk["in_review"]
    page.set_viewport_size(PHONE)
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    mark = f'#article-text .hl[data-claims="{claim.pk}"]'
    spot = page.eval_on_selector(mark, "m => Math.round(m.getBoundingClientRect().top + scrollY - 200)")
    assert spot > 0
    # Scrolled down to the panel by hand, then back.
    scroll_to(page, spot)
    page.eval_on_selector("#panel", "p => p.scrollIntoView()")
    page.evaluate(FRAMES)
    assert not in_view(page, mark)
    page.click("#back-to-text")
    assert page.evaluate("Math.round(scrollY)") == spot

    # A tap on a highlight opens the claim (a new page, its panel in view); back goes where the tap was.
    with page.expect_navigation():
        page.click(mark)
    assert f"?claim={claim.pk}" in page.url and in_view(page, ".claim-panel") and not in_view(page, mark)
    page.click("#back-to-text")
    assert page.evaluate("Math.round(scrollY)") == spot and in_view(page, mark)

    # Opened from another page (My verdicts), there is no place to go back to: the claim's highlight, in view.
    page.goto(f"{live_server.url}/my-verdicts/")
    with page.expect_navigation():
        page.click(f'a[href^="/articles/{article.pk}/?claim={claim.pk}"]')
    assert in_view(page, ".claim-panel")
    page.click("#back-to-text")
    assert in_view(page, mark)
    no_csp_violations(page)
