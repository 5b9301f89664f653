"""Blind second review in the API: the second review and rating endpoints, the desk setting, and the first verdict
kept out of every answer its unrated second checker gets (claims, verdicts, activity, exports, W3C annotations,
filters), until they rate."""

import csv
import io
import json

import pytest

from annotations.models import SecondReview

from .api_support import client_for
from .second_review_support import blind_claim, claim_in_review, other_rating

pytestmark = pytest.mark.django_db
EXPLANATION = "SIPRI ranks it third."


@pytest.fixture
def blind(revision, editor, editor2, reviewer, rating):
    return blind_claim(revision, editor, reviewer, editor2, rating)


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def body(response):
    return json.loads(response.content)


def test_a_reviewer_asks_for_a_second_rating_and_chooses_the_checker(revision, editor, editor2, reviewer, rating):
    claim = claim_in_review(revision, editor, rating)
    api = client_for(reviewer)
    url = f"/api/claims/{claim.pk}/second-review/"
    before = body(api.get(url))
    assert before == {
        "claim": claim.pk,
        "required": False,
        "required_by": "desk",
        "checker": None,
        "rating": None,
        "explanation": "",
        "rated_at": None,
        "first_rating": {"id": rating.pk, "label": rating.label, "value": rating.value},
        "first_hidden": False,
    }
    response = api.post(url, {"required": True, "checker": "ed2"}, format="json")
    assert response.status_code == 200
    assert body(response)["required"] is True and body(response)["required_by"] == "claim"
    assert body(response)["checker"] == "ed2"
    refused = api.post(url, {"checker": "ed"}, format="json")
    assert refused.status_code == 400 and "highlighted this claim" in json.dumps(body(refused))
    typo = api.post(url, {"requird": True}, format="json")
    assert typo.status_code == 400 and "requird" in body(typo)
    assert client_for(editor2).post(url, {"required": False}, format="json").status_code == 403
    assert SecondReview.objects.get(claim=claim).required is True


def test_approving_through_the_api_waits_for_the_rating(blind, reviewer, editor2, rating):
    verdict = blind.verdict
    api = client_for(reviewer)
    refused = api.post(f"/api/verdicts/{verdict.pk}/approve/", {"version": verdict.version}, format="json")
    assert refused.status_code == 400 and "has not rated it yet" in body(refused)["second_review"][0]
    second = other_rating(rating)
    rated = client_for(editor2).post(
        f"/api/claims/{blind.pk}/second-rating/", {"rating": second.pk, "explanation": "Fourth."}, format="json"
    )
    assert rated.status_code == 200
    data = body(rated)
    assert data["rating"]["label"] == "Mostly false" and data["first_rating"]["label"] == rating.label
    assert data["first_hidden"] is False and data["explanation"] == "Fourth."
    again = client_for(editor2).post(f"/api/claims/{blind.pk}/second-rating/", {"rating": rating.pk}, format="json")
    assert again.status_code == 400 and "given already" in json.dumps(body(again))
    approved = api.post(f"/api/verdicts/{verdict.pk}/approve/", {"version": verdict.version}, format="json")
    assert approved.status_code == 200 and body(approved)["status"] == "approved"


def test_only_the_chosen_checker_rates(blind, editor, rating):
    response = client_for(editor).post(f"/api/claims/{blind.pk}/second-rating/", {"rating": rating.pk}, format="json")
    assert response.status_code == 403 and "Only the second checker" in body(response)["detail"]
    missing = client_for(editor).post(f"/api/claims/{blind.pk}/second-rating/", {}, format="json")
    assert missing.status_code == 400 and "rating" in body(missing)


def test_the_unrated_second_checker_gets_no_trace_of_the_first_verdict(blind, editor, editor2, rating):
    api = client_for(editor2)
    verdict = blind.verdict
    detail = body(api.get(f"/api/claims/{blind.pk}/"))
    assert detail["verdict"] is None and detail["evidence"]
    listed = {row["id"]: row for row in body(api.get("/api/claims/"))["results"]}
    assert listed[blind.pk]["verdict"] is None
    assert api.get(f"/api/verdicts/{verdict.pk}/").status_code == 404
    assert all(row["claim"] != blind.pk for row in body(api.get("/api/verdicts/"))["results"])
    actions = {row["action"] for row in body(api.get(f"/api/activity/?claim={blind.pk}"))["results"]}
    assert "claim_created" in actions and not actions & {"verdict_created", "verdict_submitted"}
    assert body(api.get(f"/api/claims/?rating={rating.pk}"))["results"] == []
    assert body(api.get("/api/claims/?q=SIPRI+ranks"))["results"] == []
    annotation = body(api.get(f"/annotations/{blind.pk}", HTTP_ACCEPT="application/ld+json"))
    assert not [b for b in annotation["body"] if b.get("purpose") in {"classifying", "assessing"}]
    page = json.dumps(body(api.get("/annotations/?page=0", HTTP_ACCEPT="application/ld+json")))
    assert f"/annotations/{blind.pk}" in page and EXPLANATION not in page
    exported = list(csv.DictReader(io.StringIO(streamed(api.get("/api/exports/claims.csv")).decode("utf-8-sig"))))
    assert (
        exported[0]["claim_id"] == str(blind.pk) and exported[0]["rating"] == "" and exported[0]["explanation"] == ""
    )
    as_json = json.loads(streamed(api.get("/api/exports/claims.json")))
    assert as_json[0]["rating"] is None and EXPLANATION not in json.dumps(as_json)
    # The author sees all of it as before.
    author = client_for(editor)
    assert body(author.get(f"/api/claims/{blind.pk}/"))["verdict"]["explanation"] == EXPLANATION
    assert author.get(f"/api/verdicts/{verdict.pk}/").status_code == 200


def test_once_rated_the_second_checker_sees_the_first_verdict(blind, editor2, rating):
    api = client_for(editor2)
    listed = api.get("/api/claims/")
    assert body(listed)["results"][0]["verdict"] is None
    api.post(f"/api/claims/{blind.pk}/second-rating/", {"rating": rating.pk}, format="json")
    # The list's ETag moves with what is hidden, so a client polling with If-None-Match gets the new page.
    again = api.get("/api/claims/", HTTP_IF_NONE_MATCH=listed["ETag"])
    assert again.status_code == 200 and body(again)["results"][0]["verdict"]["explanation"] == EXPLANATION
    assert api.get(f"/api/verdicts/{blind.verdict.pk}/").status_code == 200


def test_the_desk_setting_is_read_by_all_and_changed_by_admins(editor, reviewer, admin_user):
    assert body(client_for(editor).get("/api/desk-settings/")) == {"blind_second_review": False}
    refused = client_for(reviewer).patch("/api/desk-settings/", {"blind_second_review": True}, format="json")
    assert refused.status_code == 403 and "Only admins" in body(refused)["detail"]
    bad = client_for(admin_user).patch("/api/desk-settings/", {"blind_second_review": "perhaps"}, format="json")
    assert bad.status_code == 400 and "blind_second_review" in body(bad)
    done = client_for(admin_user).patch("/api/desk-settings/", {"blind_second_review": True}, format="json")
    assert done.status_code == 200 and body(done) == {"blind_second_review": True}
    assert body(client_for(editor).get("/api/desk-settings/")) == {"blind_second_review": True}
