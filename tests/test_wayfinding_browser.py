"""A newcomer in Chromium: the demo's published fact-check on the home page, a reviewer's sign-in landing on the
queue, the nav's counts, and the API docs one click away in the footer."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from annotations import services
from annotations.models import Claim

from .factories import add_evidence, make_claim
from .test_browser import no_csp_violations, page  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_newcomer_sees_the_demo_published_and_a_reviewer_lands_on_the_queue(page, live_server):
    call_command("load_demo", stdout=StringIO())
    worked = Claim.objects.get()
    # Something for the reviewer to do: the demo editor's second claim, in review.
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["editor", "reviewer"])}
    second = make_claim(worked.revision, users["editor"], "the top five arms exporters")
    add_evidence(second, users["editor"])
    verdict = services.verdict_save(
        actor=users["editor"], claim=second, rating=worked.verdict.rating, explanation="SIPRI ranks it third."
    )
    services.verdict_submit(actor=users["editor"], verdict=verdict)

    page.goto(live_server.url + "/")
    page.wait_for_selector(f"a[href='/fact-checks/{worked.pk}/']")
    assert "Nothing has been published yet" not in page.content()

    page.click(".who >> text=Log in")  # the nav's link, which asks to come back to the home page
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", "reviewer-demo-2025")
    page.click("form.form button[type=submit]")
    page.wait_for_url(live_server.url + "/review/")
    assert page.inner_text("#queue-link .count") == "1"
    assert page.is_visible(f"text={second.claim_reviewed}")

    page.click("footer >> text=API docs")
    page.wait_for_selector("#swagger-ui")
    no_csp_violations(page)
