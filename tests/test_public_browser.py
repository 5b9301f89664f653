"""The public pages in Chromium, signed out, at desktop and phone width: the fact-check with its byline, scale and
sources, the archived copy of a source, and the list's search. SCREENSHOTS=<dir> keeps pictures of each."""

import hashlib
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from annotations import services
from annotations.demo import CLAIM_TEXT, EVIDENCE_QUOTE, EVIDENCE_URL, VERDICT_EXPLANATION
from annotations.models import Capture, Rating
from tests.local_server import SOURCE_TEXT

from .test_browser import newsroom, no_csp_violations, page  # noqa: F401 - fixtures shared with the workflow tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}
BODY = b"<html><head><title>Trends in International Arms Transfers, 2024</title></head><body>...</body></html>"


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture
def published(newsroom, media):
    """The demo's worked example, published, its source archived (a done capture: no fetch)."""
    capture = Capture(
        url=EVIDENCE_URL,
        status=Capture.Status.DONE,
        final_url=EVIDENCE_URL,
        http_status=200,
        content_type="text/html",
        size=len(BODY),
        sha256=hashlib.sha256(BODY).hexdigest(),
        title="Trends in International Arms Transfers, 2024",
        text=SOURCE_TEXT,
        fetched_at=timezone.now(),
        finished_at=timezone.now(),
    )
    capture.body.save("sipri.bin", ContentFile(BODY), save=False)
    capture.save()
    users = get_user_model().objects.in_bulk(["editor", "reviewer"], field_name="username")
    editor, reviewer = users["editor"], users["reviewer"]
    reviewer.first_name, reviewer.last_name = "Rita", "Reviewer"
    reviewer.save()
    revision = newsroom["revision"]
    start = revision.text.index(CLAIM_TEXT)
    claim = services.claim_create(
        actor=editor,
        revision=revision,
        start=start,
        end=start + len(CLAIM_TEXT),
        exact=CLAIM_TEXT,
        claimant="Vladimir Putin",
        claim_reviewed="Russia is among the top five arms exporters in the world",
    )
    services.evidence_add(actor=editor, claim=claim, url=EVIDENCE_URL, stance="supports", quote=EVIDENCE_QUOTE)
    services.evidence_add(actor=editor, claim=claim, url="https://www.rosoboronexport.ru/en/", stance="context")
    verdict = services.verdict_save(
        actor=editor, claim=claim, rating=Rating.objects.get(label="True"), explanation=VERDICT_EXPLANATION
    )
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    return services.verdict_publish(actor=reviewer, verdict=verdict)


def fits(tab) -> bool:
    """No sideways scroll once the page and its stylesheets have loaded (a check made as soon as an element is in
    the page can run before the CSS that wraps long lines applies)."""
    tab.wait_for_load_state("load")
    try:
        tab.wait_for_function(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth", timeout=3000
        )
    except PlaywrightTimeoutError:
        return False
    return True


def shot(tab, name: str):
    if os.environ.get("SCREENSHOTS"):
        tab.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size", SIZES)
def test_a_reader_sees_the_fact_check_its_scale_and_the_archived_source(page, live_server, published, size):
    page.set_viewport_size(SIZES[size])
    page.goto(f"{live_server.url}/fact-checks/{published.claim_id}/")
    assert page.locator(".byline").inner_text().startswith("Checked by editor, reviewed by Rita Reviewer")
    given = page.locator(".scale-rating.given")
    assert given.count() == 1 and "True" in given.inner_text() and "this claim" in given.text_content()
    assert page.locator(".scale-rating").count() == Rating.objects.filter(scale=published.rating.scale).count()
    titles = page.locator(".evidence-public .source-title").all_inner_texts()
    assert titles == ["Trends in International Arms Transfers, 2024", "rosoboronexport.ru"]
    assert fits(page)
    shot(page, f"public-factcheck-{size}")
    no_csp_violations(page)

    page.click(".archive-link")
    page.wait_for_selector("article.archive")
    # The passage as the source has it (a hyphen where the quote has an en dash: typography, so "found").
    assert page.locator("mark#quoted").inner_text().startswith("The five largest arms exporters in 2020-24")
    assert page.locator(".archive .live-link").get_attribute("href") == EVIDENCE_URL
    assert fits(page)
    shot(page, f"public-archive-{size}")
    no_csp_violations(page)


@pytest.mark.parametrize("size", SIZES)
def test_a_reader_searches_and_filters_the_public_list(page, live_server, published, size):
    page.set_viewport_size(SIZES[size])
    page.goto(f"{live_server.url}/fact-checks/")
    page.fill("input[name=q]", "arms exporters")
    page.select_option("select[name=rating]", label="True")
    page.click(".public-search button[type=submit]")
    page.wait_for_selector(".cards .card")
    assert page.locator(".cards .card").count() == 1 and "1 fact-check found." in page.inner_text("main")
    assert fits(page)
    shot(page, f"public-list-{size}")
    page.fill("input[name=q]", "nothing like this")
    page.click(".public-search button[type=submit]")
    page.wait_for_selector("p.empty")
    assert "No published fact-check matches" in page.inner_text("p.empty")
    no_csp_violations(page)
