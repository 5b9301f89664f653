"""The lifecycle through the API: the same services, their refusals as 400/403/409, and what the lists show."""

import pytest

from annotations import services
from annotations.models import Activity, Claim, Evidence, Verdict

from .api_support import client_for, make_claim, make_published
from .factories import RatingFactory

pytestmark = pytest.mark.django_db


def test_withdraw_hides_the_claim_from_lists_but_not_from_its_detail(editor, revision):
    kept, gone = make_claim(editor, revision, "Putin underscored"), make_claim(editor, revision)
    api = client_for(editor)
    response = api.post(f"/api/claims/{gone.pk}/withdraw/", {"reason": "Duplicate"}, format="json")
    assert response.status_code == 200
    assert response.json()["withdrawal_reason"] == "Duplicate" and response.json()["withdrawn_by"] == "ed"
    assert [c["id"] for c in api.get("/api/claims/").json()["results"]] == [kept.pk]
    # Paging and ordering only (no filter parameter): the list's default without building the filter.
    assert [c["id"] for c in api.get("/api/claims/?limit=5&offset=0&ordering=id").json()["results"]] == [kept.pk]
    assert [c["id"] for c in api.get("/api/claims/?status=draft").json()["results"]] == [kept.pk]
    assert [c["id"] for c in api.get("/api/claims/?withdrawn=true").json()["results"]] == [gone.pk]
    assert {c["id"] for c in api.get("/api/claims/?withdrawn=any").json()["results"]} == {kept.pk, gone.pk}
    assert api.get("/api/claims/?withdrawn=maybe").status_code == 400
    detail = api.get(f"/api/claims/{gone.pk}/").json()
    assert detail["withdrawn_at"] and detail["withdrawal_reason"] == "Duplicate"
    container = api.get("/annotations/", HTTP_ACCEPT="application/json").json()
    assert container["total"] == 1
    csv = b"".join(api.get("/api/exports/claims.csv").streaming_content).decode()
    assert "Putin underscored" in csv and "top five" not in csv


def test_withdraw_refusals_are_400_and_403(editor, editor2, reviewer, revision, rating):
    claim = make_claim(editor, revision)
    assert client_for(editor).post(f"/api/claims/{claim.pk}/withdraw/", {}, format="json").status_code == 400
    response = client_for(editor2).post(f"/api/claims/{claim.pk}/withdraw/", {"reason": "x"}, format="json")
    assert response.status_code == 403 and "only the claims they highlighted" in response.json()["detail"]
    published = make_published(editor, reviewer, revision, rating, quote="Putin underscored")
    response = client_for(reviewer).post(f"/api/claims/{published.claim_id}/withdraw/", {"reason": "x"}, format="json")
    assert response.status_code == 400 and "unpublish" in response.json()["claim"][0]
    assert not Claim.objects.filter(withdrawn_at__isnull=False).exists()


def test_restore_through_the_api(editor, revision):
    claim = make_claim(editor, revision)
    services.claim_withdraw(actor=editor, claim=claim, reason="Oops")
    api = client_for(editor)
    assert api.post(f"/api/claims/{claim.pk}/restore/").json()["withdrawn_at"] is None
    assert api.post(f"/api/claims/{claim.pk}/restore/").status_code == 400


def test_evidence_patch_and_delete(editor, revision):
    claim = make_claim(editor, revision)
    evidence = services.evidence_add(actor=editor, claim=claim, url="https://www.sipri.org/a", stance="supports")
    api = client_for(editor)
    response = api.patch(f"/api/evidence/{evidence.pk}/", {"stance": "refutes", "quote": "Third."}, format="json")
    assert response.status_code == 200 and (response.json()["stance"], response.json()["quote"]) == (
        "refutes",
        "Third.",
    )
    assert response.json()["url"] == "https://www.sipri.org/a"
    assert api.patch(f"/api/evidence/{evidence.pk}/", {"url": "ftp://x"}, format="json").json().keys() == {"url"}
    assert api.patch(f"/api/evidence/{evidence.pk}/", {"colour": "red"}, format="json").status_code == 400
    assert api.delete(f"/api/evidence/{evidence.pk}/").status_code == 204
    assert not Evidence.objects.exists()
    assert Activity.objects.filter(action="evidence_removed", comment__contains="sipri.org/a").exists()


def test_evidence_of_a_published_claim_cannot_be_patched_or_deleted(editor, reviewer, revision, rating, db):
    verdict = make_published(editor, reviewer, revision, rating)
    evidence = verdict.claim.evidence.get()
    api = client_for(editor)
    response = api.patch(f"/api/evidence/{evidence.pk}/", {"note": "late"}, format="json")
    assert response.status_code == 400 and "published" in response.json()["claim"][0]
    assert api.delete(f"/api/evidence/{evidence.pk}/").status_code == 400
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("nobody")
    assert client_for(nobody).delete(f"/api/evidence/{evidence.pk}/").status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_unpublish_through_the_api(editor, reviewer, reviewer2, revision, rating, client):
    verdict = make_published(editor, reviewer, revision, rating)
    url = f"/api/verdicts/{verdict.pk}/unpublish/"
    v = verdict.version
    assert client_for(editor).post(url, {"reason": "x", "version": v}, format="json").status_code == 403
    assert client_for(reviewer2).post(url, {}, format="json").json().keys() == {"reason", "version"}
    missing = client_for(reviewer2).post(url, {"reason": "x"}, format="json")
    assert missing.status_code == 400 and missing.json() == {"version": ["This field is required."]}
    stale = client_for(reviewer2).post(url, {"reason": "x", "version": verdict.version + 5}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == verdict.version
    response = client_for(reviewer2).post(url, {"reason": "Misattributed.", "version": verdict.version}, format="json")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "changes_requested"
    assert body["unpublished_at"] and body["unpublish_reason"] == "Misattributed."
    again = {"reason": "again", "version": body["version"]}
    assert client_for(reviewer2).post(url, again, format="json").status_code == 400
    assert client.get(f"/fact-checks/{verdict.claim_id}/").status_code == 410


def test_correct_and_the_public_corrections_feed(editor, reviewer, revision, rating, client):
    verdict = make_published(editor, reviewer, revision, rating)
    mostly = RatingFactory(scale=rating.scale, label="Mostly true", value=4)
    url = f"/api/verdicts/{verdict.pk}/correct/"
    assert client_for(editor).post(url, {"note": "x", "version": verdict.version}, format="json").status_code == 403
    empty = {"note": "", "version": verdict.version}
    assert client_for(reviewer).post(url, empty, format="json").json().keys() == {"note"}
    assert client_for(reviewer).post(url, {"note": "x"}, format="json").json().keys() == {"version"}
    response = client_for(reviewer).post(
        url, {"note": "Russia had 7.8%.", "rating": mostly.pk, "version": verdict.version}, format="json"
    )
    assert response.status_code == 201
    correction = response.json()
    assert correction["previous_rating_label"] == rating.label and correction["claim"] == verdict.claim_id
    assert correction["url"].endswith(f"/fact-checks/{verdict.claim_id}/")
    body = client_for(reviewer).get(f"/api/verdicts/{verdict.pk}/").json()
    assert body["rating"] == mostly.pk and body["corrected_at"]
    feed = client.get("/api/corrections/").json()  # public, no sign-in
    assert [c["note"] for c in feed["results"]] == ["Russia had 7.8%."]
    assert client.get(f"/api/corrections/?verdict={verdict.pk}").json()["count"] == 1
    assert client.get("/api/corrections/?verdict=abc").status_code == 400
    assert client.get(f"/api/claimreviews/{verdict.claim_id}/").json()["dateModified"]


def test_keep_through_the_api(editor, reviewer, reviewer2, revision, rating):
    verdict = make_published(editor, reviewer, revision, rating)
    url = f"/api/verdicts/{verdict.pk}/keep/"
    fine = {"comment": "fine", "version": verdict.version}
    response = client_for(reviewer2).post(url, fine, format="json")
    assert response.status_code == 400 and "has not changed" in response.json()["verdict"][0]
    Verdict.objects.filter(pk=verdict.pk).update(article_changed_at=verdict.published_at, article_change="changed")
    assert client_for(editor).post(url, fine, format="json").status_code == 403
    assert client_for(reviewer2).post(url, {"comment": "fine"}, format="json").json().keys() == {"version"}
    kept = {"comment": "Only the lead changed.", "version": verdict.version}
    response = client_for(reviewer2).post(url, kept, format="json")
    assert response.status_code == 200 and response.json()["article_changed_at"] is None


def test_schema_documents_the_lifecycle_actions(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert "post" in paths["/api/claims/{id}/withdraw/"]
    assert {"patch", "delete"} <= set(paths["/api/evidence/{id}/"])
    assert "204" in paths["/api/evidence/{id}/"]["delete"]["responses"]
    for name in ("unpublish", "correct", "keep"):
        operation = paths[f"/api/verdicts/{{id}}/{name}/"]["post"]
        assert {"400", "403", "409"} <= set(operation["responses"])
    assert "/api/corrections/" in paths
