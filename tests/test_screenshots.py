"""`make screenshots`: pictures of the reader, the claim panel, the review queue, claim search, the public page, the
inbox, a claim's discussion and the desk dashboard from the demo data, and of the reader and its claim panel on a
phone (390x844 at twice the pixel density).

Marked `screenshots` and left out of `make test` (it writes into docs/screenshots/).
"""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from annotations import services
from annotations.models import Claim, Rating
from discussion import services as discussion

from .browser import login

pytestmark = [pytest.mark.screenshots, pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}}


def submit_a_second_claim(example: Claim) -> None:
    editor = get_user_model().objects.get(username="editor")
    revision = example.revision
    exact = "tens of billions of dollars"
    start = revision.text.index(exact)
    claim = services.claim_create(
        actor=editor,
        revision=revision,
        start=start,
        end=start + len(exact),
        exact=exact,
        claimant="Vladimir Putin",
        claim_reviewed="Russia's arms export orders are worth tens of billions of dollars",
    )
    services.evidence_add(
        actor=editor, claim=claim, url="https://www.sipri.org/databases/armstransfers", stance="context"
    )
    rating = Rating.objects.get(label="Unproven")
    verdict = services.verdict_save(
        actor=editor,
        claim=claim,
        rating=rating,
        explanation="No public order book gives this total; SIPRI counts deliveries.",
    )
    services.verdict_submit(actor=editor, verdict=verdict)


def start_a_discussion(example: Claim) -> None:
    """Two comments on the worked example: the editor asks the reviewer (a mention, so the inbox has it)."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["editor", "reviewer"])}
    discussion.comment_add(
        actor=users["editor"],
        claim=example,
        body="@reviewer SIPRI's 2024 table has Russia third, behind the US and France: "
        "https://www.sipri.org/databases/armstransfers. Is that enough for True?",
    )
    discussion.comment_add(
        actor=users["reviewer"], claim=example, body="@editor Yes: cite the five-year window in the explanation."
    )


def test_screenshots(page, browser, live_server):
    call_command("load_demo", stdout=StringIO())
    OUT.mkdir(parents=True, exist_ok=True)
    claim = Claim.objects.get()
    login(page, live_server, "reviewer", "reviewer-demo-2025")
    page.goto(f"{live_server.url}/articles/{claim.article_id}/")
    page.screenshot(path=OUT / "reader.png")
    page.goto(f"{live_server.url}/articles/{claim.article_id}/?claim={claim.pk}")
    page.screenshot(path=OUT / "claim-panel.png")
    submit_a_second_claim(claim)  # the worked example is published: give the queue something to show
    page.goto(f"{live_server.url}/review/")
    page.screenshot(path=OUT / "review-queue.png")
    page.goto(f"{live_server.url}/claims/?q=arms+exporters")
    page.screenshot(path=OUT / "claim-search.png")
    page.goto(f"{live_server.url}/fact-checks/{claim.pk}/")
    page.screenshot(path=OUT / "public-factcheck.png")
    page.goto(f"{live_server.url}/dashboard/")
    page.screenshot(path=OUT / "dashboard.png")
    start_a_discussion(claim)
    page.goto(f"{live_server.url}/articles/{claim.article_id}/?claim={claim.pk}")
    page.locator("#discussion").scroll_into_view_if_needed()
    page.locator("#discussion").screenshot(path=OUT / "discussion.png")
    page.goto(f"{live_server.url}/inbox/")
    page.screenshot(path=OUT / "inbox.png")

    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        tab = phone.new_page()
        login(tab, live_server, "editor", "editor-demo-2025")
        tab.goto(f"{live_server.url}/articles/{claim.article_id}/")
        tab.screenshot(path=OUT / "phone-reader.png")
        tab.goto(f"{live_server.url}/articles/{claim.article_id}/?claim={claim.pk}")  # the panel, below the text
        tab.screenshot(path=OUT / "phone-claim-panel.png")
    finally:
        phone.close()
    shots = ("reader", "claim-panel", "review-queue", "claim-search", "public-factcheck", "phone-reader", "dashboard")
    for name in (*shots, "inbox", "discussion"):
        assert (OUT / f"{name}.png").stat().st_size > 10_000
