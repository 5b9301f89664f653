"""The claim panel's same-claim buttons: forms posted by panel.js (JSON with the new panel) or without (a redirect)."""

import pytest

from matching.models import SameClaim
from tests.api_support import make_claim, make_published
from tests.conftest import make_user

from .claims_support import imported

pytestmark = pytest.mark.django_db
FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def check():
    return imported(("Russia is one of the five largest arms exporters", "Yes, third after the US and France"))[0]


@pytest.fixture
def claim(editor, revision):
    return make_claim(editor, revision, "among the top five arms exporters", claim_reviewed="Russia is a top exporter")


def test_the_button_links_and_the_panel_comes_back_with_the_link_and_its_history(client, editor, claim, check):
    client.force_login(editor)
    response = client.post(f"/claims/{claim.pk}/same-as/", {"fact_check": check.pk}, headers=FETCH)
    assert response.status_code == 200
    data = response.json()
    assert data["message"] == "Linked as the same claim." and data["where"] == "claim-same-as"
    assert 'id="same-as-flag"' in data["panel"] and check.url in data["panel"]
    assert "linked it as the same claim as a fact-check" in data["panel"]
    assert 'id="same-as-unlink"' in data["panel"]
    response = client.post(f"/claims/{claim.pk}/same-as/remove/", headers=FETCH)
    assert (
        response.json()["message"] == "Same-claim link removed."
        and 'id="same-as-flag"' not in response.json()["panel"]
    )
    assert not SameClaim.objects.exists()


def test_without_javascript_the_post_redirects_back_to_the_claim(client, editor, claim, check):
    client.force_login(editor)
    response = client.post(f"/claims/{claim.pk}/same-as/", {"fact_check": check.pk})
    assert response.status_code == 302 and response["Location"].endswith(f"?claim={claim.pk}#panel")
    assert SameClaim.objects.get().fact_check == check
    assert "Linked as the same claim." in client.get(response["Location"]).content.decode()


def test_refusals_come_back_beside_the_buttons(client, editor, reviewer, revision, rating, claim, check):
    client.force_login(editor)
    gone = client.post(f"/claims/{claim.pk}/same-as/", {"fact_check": 987654}, headers=FETCH)
    assert (
        gone.status_code == 400
        and gone.json()["message"] == "That fact-check is no longer in the corpus: search again."
    )
    bad = client.post(f"/claims/{claim.pk}/same-as/", {"fact_check": "x"}, headers=FETCH)
    assert bad.status_code == 400 and bad.json()["message"] == "Choose a fact-check to link."
    published = make_published(editor, reviewer, revision, rating, quote="Putin said on Friday").claim
    refused = client.post(f"/claims/{published.pk}/same-as/", {"fact_check": check.pk}, headers=FETCH)
    assert refused.status_code == 400 and "Only reviewers change the same-claim link" in refused.json()["message"]
    assert not SameClaim.objects.exists()


def test_users_without_a_role_get_the_403_page_and_the_panel_offers_them_no_button(client, claim, check):
    reader = make_user("reader", None)
    client.force_login(reader)
    assert client.post(f"/claims/{claim.pk}/same-as/", {"fact_check": check.pk}).status_code == 403
    assert not SameClaim.objects.exists()


def test_a_locked_claim_s_panel_offers_no_button(client, editor, reviewer, revision, rating, check):
    published = make_published(editor, reviewer, revision, rating).claim
    client.force_login(editor)
    panel = client.get(f"/articles/{revision.article_id}/?claim={published.pk}").content.decode()
    assert 'id="claim-matches"' in panel and "data-link-url" not in panel
    client.force_login(reviewer)
    panel = client.get(f"/articles/{revision.article_id}/?claim={published.pk}").content.decode()
    assert f'data-link-url="/claims/{published.pk}/same-as/"' in panel
