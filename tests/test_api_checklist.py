"""The API enforces the checklist, the short statement and the length limits, and a 409 keeps both sides."""

import pytest

from annotations import services
from annotations.models import Activity, Verdict

from .api_support import client_for, make_claim
from .factories import add_evidence

pytestmark = pytest.mark.django_db


def post(user, url, data):
    return client_for(user).post(url, data, format="json")


def in_review(editor, revision, rating, *, evidence=False):
    claim = make_claim(editor, revision)
    if evidence:
        add_evidence(claim, editor)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="True.")
    return services.verdict_submit(actor=editor, verdict=verdict)


def test_checklist_endpoint_lists_blockers_and_warnings(editor, reviewer, revision, rating):
    verdict = in_review(editor, revision, rating)
    body = client_for(reviewer).get(f"/api/verdicts/{verdict.pk}/checklist/").json()
    assert body == {
        "blockers": [{"code": "no_evidence", "message": "The claim has no evidence."}],
        "warnings": [],
        "refusals": [],
    }


def test_approve_with_a_blocker_is_400_naming_it(editor, reviewer, revision, rating):
    verdict = in_review(editor, revision, rating)
    response = post(reviewer, f"/api/verdicts/{verdict.pk}/approve/", {"version": verdict.version})
    assert response.status_code == 400
    body = response.json()
    assert body["blockers"] == ["no_evidence: The claim has no evidence."]
    assert "the claim has no evidence" in body["override"][0]
    assert Verdict.objects.get(pk=verdict.pk).status == "in_review"


def test_override_query_parameter_approves_and_is_recorded(editor, reviewer, revision, rating):
    verdict = in_review(editor, revision, rating)
    url = f"/api/verdicts/{verdict.pk}/approve/?override=Sources+are+offline+archives"
    response = post(reviewer, url, {"version": verdict.version})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    assert "Reason: Sources are offline archives" in Activity.objects.get(action="checklist_override").comment


def test_override_in_the_body_publishes(editor, reviewer, revision, rating):
    verdict = in_review(editor, revision, rating)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict, override="Archive.")
    refused = post(reviewer, f"/api/verdicts/{verdict.pk}/publish/", {"version": verdict.version})
    assert refused.status_code == 400 and refused.json()["blockers"][0].startswith("no_evidence")
    url = f"/api/verdicts/{verdict.pk}/publish/"
    published = post(reviewer, url, {"version": verdict.version, "override": "Desk lead agreed."})
    assert published.status_code == 200 and published.json()["status"] == "published"


def test_submit_without_short_statement_is_400_with_the_message(editor, revision, rating):
    claim = make_claim(editor, revision, claim_reviewed="")
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="True.")
    response = post(editor, f"/api/verdicts/{verdict.pk}/submit/", {"version": verdict.version})
    assert response.status_code == 400
    assert response.json() == {"claim_reviewed": ["Add a short statement of at most 75 characters before submitting."]}


def test_over_long_values_are_400_naming_the_field(editor, reviewer, revision, rating):
    claim = make_claim(editor, revision)
    long_statement = client_for(editor).patch(f"/api/claims/{claim.pk}/", {"claim_reviewed": "x" * 76}, format="json")
    assert long_statement.status_code == 400
    assert "75" in long_statement.json()["claim_reviewed"][0]
    created = post(editor, "/api/verdicts/", {"claim": claim.pk, "rating": rating.pk, "explanation": "x" * 20_001})
    assert created.status_code == 400 and "20000" in created.json()["explanation"][0]
    verdict = in_review(editor, revision, rating, evidence=True)
    comment = post(
        reviewer, f"/api/verdicts/{verdict.pk}/approve/", {"version": verdict.version, "comment": "c" * 5001}
    )
    assert comment.status_code == 400 and "5000" in comment.json()["comment"][0]
    url = f"/api/verdicts/{verdict.pk}/approve/?override=" + "o" * 5001
    too_long = post(reviewer, url, {"version": verdict.version})
    assert too_long.status_code == 400 and "at most 5000" in too_long.json()["override"][0]
    assert Verdict.objects.get(pk=verdict.pk).status == "in_review"


def test_stale_version_409_carries_the_current_verdict_and_what_was_sent(editor, editor2, revision, rating):
    claim = make_claim(editor, revision)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="First.")
    services.verdict_save(actor=editor2, claim=claim, rating=rating, explanation="Theirs.", version=1)
    mine = {"rating": rating.pk, "explanation": "Mine, carefully typed.", "version": 1}
    response = client_for(editor).patch(f"/api/verdicts/{verdict.pk}/", mine, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert body["current"]["explanation"] == "Theirs." and body["current"]["version"] == 2
    assert body["yours"] == mine
    stale_submit = post(editor, f"/api/verdicts/{verdict.pk}/submit/", {"version": 1})
    assert stale_submit.status_code == 409 and stale_submit.json()["current"]["status"] == "draft"


def test_schema_documents_override_and_checklist(client):
    schema = client.get("/api/schema/?format=json").json()
    approve = schema["paths"]["/api/verdicts/{id}/approve/"]["post"]
    assert "override" in [parameter["name"] for parameter in approve["parameters"]]
    assert "current" in approve["responses"]["409"]["content"]["application/json"]["schema"]["properties"]
    assert "/api/verdicts/{id}/checklist/" in schema["paths"]
