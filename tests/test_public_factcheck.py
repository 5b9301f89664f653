import json
import re

import pytest

from annotations import services
from annotations.models import Verdict

from .factories import SourceFactory, make_claim

pytestmark = pytest.mark.django_db
QUOTE = "among the top five arms exporters in the world"


@pytest.fixture
def published(editor, reviewer, revision, rating):
    revision.article.outlet = SourceFactory(name="Sputnik", domain="sputnikglobe.com")
    revision.article.save()
    claim = make_claim(
        revision,
        editor,
        claimant="Vladimir Putin",
        claim_reviewed="Russia is among the top five arms exporters",
    )
    services.evidence_add(
        actor=editor,
        claim=claim,
        url="https://www.sipri.org/x",
        stance="supports",
        quote="Russia was third",
        note="internal note <b>not public</b>",
    )
    verdict = services.verdict_save(
        actor=editor, claim=claim, rating=rating, explanation="True </script><script>alert(1)</script>"
    )
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    return services.verdict_publish(actor=reviewer, verdict=verdict)


def ld_json(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_public_page_shows_verdict_and_claimreview_without_login(client, published):
    response = client.get(f"/fact-checks/{published.claim_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>among the top five arms exporters in the world</mark>" in html
    assert "Russia continues to be" in html  # the claim in its sentence
    assert "internal note" not in html  # evidence notes are not public
    document = ld_json(html)
    assert document["@type"] == "ClaimReview"
    assert document["claimReviewed"] == "Russia is among the top five arms exporters"
    assert document["reviewRating"]["alternateName"] == published.rating.label
    assert document["itemReviewed"]["author"] == {"@type": "Person", "name": "Vladimir Putin"}
    assert document["url"].endswith(f"/fact-checks/{published.claim_id}/")
    assert document["author"]["@type"] == "Organization"


def test_explanation_cannot_break_out_of_the_page(client, published):
    html = client.get(f"/fact-checks/{published.claim_id}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert ld_json(html)["@type"] == "ClaimReview"


def test_unpublished_verdicts_are_not_public(client, published):
    Verdict.objects.filter(pk=published.pk).update(status=Verdict.Status.APPROVED)
    assert client.get(f"/fact-checks/{published.claim_id}/").status_code == 404
    assert client.get("/fact-checks/999999/").status_code == 404
