"""'Same claim as': linking a claim to a fact-check of the corpus (service, API, the claim's document, ClaimReview)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import row_versions, services
from annotations.claimreview import claim_review
from annotations.models import Activity
from matching import services as matching
from matching.models import SameClaim
from tests.api_support import client_for, make_claim, make_published
from tests.conformance import CONFORMANCE, schemaorg_problems
from tests.conftest import make_user
from tests.factories import RevisionFactory, add_evidence

from .claims_support import imported, own

pytestmark = pytest.mark.django_db
ARMS = ("Russia is one of the five largest arms exporters", "Yes, third after the US and France")
TOWER = ("The Eiffel Tower was built for the 1889 World's Fair.", "Yes, for the Exposition")


@pytest.fixture
def checks():
    return imported(ARMS, TOWER)


@pytest.fixture
def claim(editor, revision):
    return make_claim(editor, revision, "among the top five arms exporters", claim_reviewed="Russia is a top exporter")


def url(claim) -> str:
    return f"/api/claims/{claim.pk}/same-as/"


# --- The service ---------------------------------------------------------------------------------------------------


def test_an_editor_links_changes_and_unlinks_and_each_step_is_in_the_claim_s_history(editor, claim, checks):
    arms, tower = checks
    link = matching.same_claim_link(actor=editor, claim=claim, fact_check=arms)
    assert (link.fact_check, link.linked_by, link.claim) == (arms, editor, claim)
    assert matching.same_claim_link(actor=editor, claim=claim, fact_check=arms).pk == link.pk  # again: no change
    matching.same_claim_link(actor=editor, claim=claim, fact_check=tower)
    assert SameClaim.objects.get(claim=claim).fact_check == tower
    assert matching.same_claim_unlink(actor=editor, claim=claim) is True
    assert matching.same_claim_unlink(actor=editor, claim=claim) is False
    assert not SameClaim.objects.exists()
    history = list(Activity.objects.filter(claim=claim).values_list("action", "comment"))[1:]
    assert history == [
        ("same_claim_linked", arms.url),
        ("same_claim_changed", f"{tower.url} (was {arms.url})"),
        ("same_claim_unlinked", tower.url),
    ]


def test_a_user_without_a_role_may_not_link(claim, checks):
    reader = make_user("reader", None)
    with pytest.raises(PermissionDenied, match="Only editors and reviewers link a claim"):
        matching.same_claim_link(actor=reader, claim=claim, fact_check=checks[0])


def test_a_claim_cannot_be_the_same_claim_as_its_own_fact_check(editor, reviewer, revision, rating, checks):
    verdict = make_published(editor, reviewer, revision, rating)
    ours = own(verdict)
    with pytest.raises(ValidationError, match="this claim's own fact-check"):
        matching.same_claim_link(actor=reviewer, claim=verdict.claim, fact_check=ours)


def test_withdrawn_and_in_review_claims_keep_their_link(editor, reviewer, claim, rating, checks):
    services.claim_withdraw(actor=editor, claim=claim, reason="A duplicate.")
    with pytest.raises(ValidationError, match="withdrawn; restore it"):
        matching.same_claim_link(actor=editor, claim=claim, fact_check=checks[0])
    services.claim_restore(actor=editor, claim=claim)
    add_evidence(claim, editor)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Yes.")
    services.verdict_submit(actor=editor, verdict=verdict)
    with pytest.raises(ValidationError, match="in review: a reviewer must send it back"):
        matching.same_claim_link(actor=editor, claim=claim, fact_check=checks[0])


def test_only_reviewers_change_the_link_of_a_published_fact_check(editor, reviewer, revision, rating, checks):
    claim = make_published(editor, reviewer, revision, rating).claim
    with pytest.raises(PermissionDenied, match="Only reviewers change the same-claim link of a published"):
        matching.same_claim_link(actor=editor, claim=claim, fact_check=checks[0])
    assert matching.same_claim_link(actor=reviewer, claim=claim, fact_check=checks[0]).linked_by == reviewer


def test_the_link_goes_with_its_fact_check(editor, claim, checks):
    matching.same_claim_link(actor=editor, claim=claim, fact_check=checks[0])
    checks[0].delete()  # one of ours unpublished, or a row an admin removed
    assert not SameClaim.objects.exists()


# --- The API -------------------------------------------------------------------------------------------------------


def test_put_links_and_the_claim_s_document_shows_it_delete_removes_it(editor, claim, checks):
    api = client_for(editor)
    response = api.put(url(claim), {"fact_check": checks[0].pk}, format="json")
    assert response.status_code == 200, response.content
    same_as = response.json()["same_as"]
    assert same_as == {
        "fact_check": checks[0].pk,
        "url": "https://checker.example/fact-checks/1",
        "claim_reviewed": ARMS[0],
        "publisher": "Checker",
        "rating": "False",
        "claim": None,
        "linked_by": "ed",
        "linked_at": same_as["linked_at"],
    }
    assert api.get(f"/api/claims/{claim.pk}/").json()["same_as"] == same_as
    assert api.get("/api/claims/").json()["results"][0]["same_as"] == same_as
    response = api.delete(url(claim))
    assert response.status_code == 200 and response.json()["same_as"] is None
    assert api.get("/api/claims/").json()["results"][0]["same_as"] is None


def test_unknown_or_malformed_ids_get_a_clear_400(editor, claim, checks):
    api = client_for(editor)
    for body, message in [
        ({"fact_check": 987654}, "No fact-check with id 987654 in the corpus."),
        ({"fact_check": "many"}, "A fact-check id is a number, not str."),
        ({}, "This field is required."),
    ]:
        response = api.put(url(claim), body, format="json")
        assert response.status_code == 400 and response.json() == {"fact_check": [message]}, body
    response = api.put(url(claim), {"fact_check": checks[0].pk, "claim": 1}, format="json")
    assert response.status_code == 400 and response.json() == {"claim": ["Unknown field."]}
    assert api.put("/api/claims/987654/same-as/", {"fact_check": checks[0].pk}, format="json").status_code == 404


def test_readers_without_a_role_get_403_and_anonymous_callers_401(claim, checks):
    reader = make_user("reader", None)
    response = client_for(reader).put(url(claim), {"fact_check": checks[0].pk}, format="json")
    assert response.status_code == 403
    assert client_for().put(url(claim), {"fact_check": checks[0].pk}, format="json").status_code == 401
    assert not SameClaim.objects.exists()


def test_a_refusal_of_the_service_is_a_400_naming_the_claim(editor, reviewer, revision, rating, checks):
    claim = make_published(editor, reviewer, revision, rating).claim
    response = client_for(editor).put(url(claim), {"fact_check": checks[0].pk}, format="json")
    assert response.status_code == 403
    assert "Only reviewers change the same-claim link" in response.json()["detail"]
    ours = own(claim.verdict)
    response = client_for(reviewer).put(url(claim), {"fact_check": ours.pk}, format="json")
    assert response.status_code == 400 and "own fact-check" in response.json()["fact_check"][0]


def test_the_claim_list_costs_the_same_with_links(editor, checks):
    revision = RevisionFactory(text=" ".join(f"w{i:03d}" for i in range(30)))
    claims = [make_claim(editor, revision, f"w{i:03d}", claim_reviewed="") for i in range(30)]
    api = client_for(editor)
    api.get("/api/claims/?limit=1")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert len(api.get("/api/claims/?limit=50").json()["results"]) == 30
        return len(captured)

    without = count()
    for claim in claims:
        matching.same_claim_link(actor=editor, claim=claim, fact_check=checks[0])
    with_links = count()
    assert with_links == without
    assert all(c["same_as"]["fact_check"] == checks[0].pk for c in api.get("/api/claims/").json()["results"])


def test_a_link_or_its_fact_check_changing_changes_the_claim_s_document_and_reader_stamps(editor, claim, checks):
    from annotations.models import Claim

    def versions():
        document = Claim.objects.filter(pk=claim.pk).values_list(row_versions.claim_document_version(), flat=True)
        return document[0], row_versions.reader_stamp(claim.article_id)

    before = versions()
    matching.same_claim_link(actor=editor, claim=claim, fact_check=checks[0])
    linked = versions()
    assert linked[0] != before[0] and linked[1] != before[1]
    checks[0].rating_name = "Mostly false"
    checks[0].save()  # a feed's correction of the other desk's rating
    renamed = versions()
    assert renamed[0] != linked[0] and renamed[1] != linked[1]
    api = client_for(editor)
    assert api.get("/api/claims/").json()["results"][0]["same_as"]["rating"] == "Mostly false"


# --- The ClaimReview -----------------------------------------------------------------------------------------------


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason="conformance data not found")
def test_a_published_linked_claim_names_the_other_fact_check_as_sameas_valid_schema_org(
    editor, reviewer, revision, rating, checks, client, monkeypatch
):
    from annotations import public_cache

    verdict = make_published(editor, reviewer, revision, rating)
    assert "sameAs" not in claim_review(verdict)["itemReviewed"]
    matching.same_claim_link(actor=reviewer, claim=verdict.claim, fact_check=checks[0])
    feed = client_for().get("/api/claimreviews/").json()["results"]
    (document,) = feed
    assert document["itemReviewed"]["sameAs"] == "https://checker.example/fact-checks/1"
    assert "isBasedOn" not in document  # a match does not say our review derives from theirs
    assert schemaorg_problems(document) == []
    assert client_for().get(f"/api/claimreviews/{verdict.claim_id}/").json() == document
    # The public page embeds the same document, and a change of the link moves its stamp: it shows once the page's
    # inputs are checked again (INPUTS_RECHECK seconds, as for a source renamed).
    monkeypatch.setattr(public_cache, "INPUTS_RECHECK", 0)
    page = client.get(f"/fact-checks/{verdict.claim_id}/").content.decode()
    assert '"sameAs": "https://checker.example/fact-checks/1"' in page
    matching.same_claim_unlink(actor=reviewer, claim=verdict.claim)
    assert "sameAs" not in client.get(f"/fact-checks/{verdict.claim_id}/").content.decode()


def test_the_public_feed_costs_the_same_with_links(editor, reviewer, rating, checks):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client_for().get("/api/claimreviews/")
        return len(captured)

    verdicts = [make_published(editor, reviewer, RevisionFactory(), rating) for _ in range(3)]
    client_for().get("/api/claimreviews/")
    without = count()
    for verdict in verdicts:
        matching.same_claim_link(actor=reviewer, claim=verdict.claim, fact_check=checks[1])
    assert count() == without


def test_the_documented_serializer_gives_the_same_json_for_a_linked_claim(editor, claim, checks):
    from rest_framework.renderers import JSONRenderer

    from annotations.api.representation import claim_documents
    from annotations.api.serializers import ClaimSerializer
    from annotations.selectors import claims_for_api

    matching.same_claim_link(actor=editor, claim=claim, fact_check=checks[0])
    claims = list(claims_for_api().filter(pk=claim.pk))
    fast, documented = claim_documents([claim.pk]), ClaimSerializer(claims, many=True).data
    assert JSONRenderer().render(fast) == JSONRenderer().render(documented)
    assert fast[0]["same_as"]["linked_by"] == "ed"
