"""The lifecycle in Chromium: a reviewer corrects a published fact-check and readers see it, dated."""

import json

import pytest

from annotations import services
from annotations.models import Correction, Rating

from . import test_browser
from .browser import login
from .factories import make_claim
from .test_browser import PHRASE, no_csp_violations

# The browser tests' fixtures: Chromium's page with the CSP watch, and the demo newsroom.
page, newsroom = test_browser.page, test_browser.newsroom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(newsroom):
    users = newsroom["users"]
    claim = make_claim(newsroom["revision"], users["editor"], PHRASE, claim_reviewed="Russia is a top-five exporter")
    services.evidence_add(actor=users["editor"], claim=claim, url="https://www.sipri.org/fs", stance="supports")
    true = Rating.objects.get(label="True")
    verdict = services.verdict_save(actor=users["editor"], claim=claim, rating=true, explanation="Russia is third.")
    verdict = services.verdict_submit(actor=users["editor"], verdict=verdict)
    verdict = services.verdict_approve(actor=users["reviewer"], verdict=verdict)
    return services.verdict_publish(actor=users["reviewer"], verdict=verdict)


def test_reviewer_publishes_a_correction_and_the_public_page_shows_it(page, live_server, published):
    login(page, live_server, "reviewer2", "pw-reviewer2")
    page.goto(f"{live_server.url}/articles/{published.claim.article_id}/?claim={published.claim_id}#panel")
    page.click("#correct-details summary")
    page.fill("#correct_note", "We first said Russia had 9.6% of exports; SIPRI says 7.8%.")
    page.select_option("#correct_rating", label="Mostly true")
    page.click("#correct-form button[type=submit]")
    page.wait_for_selector("#panel-message >> text=Correction published.")  # in place, beside the action
    assert "We first said Russia had 9.6%" in page.inner_text(".corrections")
    correction = Correction.objects.get()

    page.goto(f"{live_server.url}/fact-checks/{published.claim_id}/")
    assert page.inner_text(".corrected-on").startswith("Corrected on")
    notes = page.inner_text("#corrections")
    assert "We first said Russia had 9.6% of exports; SIPRI says 7.8%." in notes
    assert correction.created_at.strftime("%-d %B %Y") in notes and "previously “True”" in notes
    assert "Mostly true" in page.inner_text(".verdict-box")
    document = json.loads(page.text_content('script[type="application/ld+json"]'))
    assert document["dateModified"] == correction.created_at.isoformat()
    assert document["reviewRating"]["alternateName"] == "Mostly true"
    no_csp_violations(page)


def test_the_article_changed_banner_leads_to_unpublishing_and_readers_get_the_withdrawn_page(
    page,
    live_server,
    newsroom,
    published,
):
    article, text = published.claim.article, newsroom["revision"].text
    services.revision_add(
        actor=newsroom["users"]["editor"], article=article, text=text.replace(PHRASE, "big"), origin="pasted"
    )
    services.reanchor_article(article_id=article.pk)
    login(page, live_server, "reviewer2", "pw-reviewer2")
    page.goto(f"{live_server.url}/articles/{article.pk}/?claim={published.claim_id}#panel")
    assert "The article changed since publication" in page.inner_text("#article-changed")
    assert not page.is_visible("#unpublish-form")
    page.click("#article-changed >> text=Unpublish…")  # opens the closed section it points into
    page.wait_for_selector("#unpublish-form", state="visible")
    page.fill("#unpublish_reason", "The quote was misattributed.")
    page.click("#unpublish-form button[type=submit]")
    page.wait_for_selector("#panel-message >> text=Unpublished")
    response = page.goto(f"{live_server.url}/fact-checks/{published.claim_id}/")
    assert response.status == 410
    assert "This fact-check was withdrawn on" in page.inner_text("h1")
    assert "The quote was misattributed." in page.inner_text("main")
    no_csp_violations(page)
