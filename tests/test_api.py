import csv
import io
import json
import re

import pytest
from django.test import override_settings

from annotations import services
from annotations.models import Article, Claim, Source, Verdict

from .api_support import QUOTE, client_for, make_claim, make_published
from .factories import add_evidence

pytestmark = pytest.mark.django_db


def post(user, url, data):
    return client_for(user).post(url, data, format="json")


def patch(user, url, data):
    return client_for(user).patch(url, data, format="json")


# --- Authentication --------------------------------------------------------------------------------------------------


def test_anonymous_gets_401_with_token_challenge(revision):
    response = client_for().get("/api/claims/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_token_is_issued_for_username_and_password(editor):
    response = client_for().post("/api/token/", {"username": "ed", "password": "pw-ed"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert client_for().get("/api/claims/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    wrong = client_for().post("/api/token/", {"username": "ed", "password": "nope"}, format="json")
    assert wrong.status_code == 400
    assert "non_field_errors" in wrong.json()


def test_session_authentication_works_and_enforces_csrf(client, editor, revision):
    client.force_login(editor)
    assert client.get("/api/claims/").status_code == 200
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    response = strict.post("/api/claims/", {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_user_without_role_sees_nothing(db, revision):
    from .conftest import make_user

    nobody = make_user("nobody", None)
    assert client_for(nobody).get("/api/claims/").status_code == 403


# --- Articles, revisions and claims ----------------------------------------------------------------------------------


def test_editor_imports_article_and_adds_revision(editor):
    data = {"title": "T", "text": "Some text  kept\nexactly.", "url": "https://news.example/a"}
    response = post(editor, "/api/articles/", data)
    assert response.status_code == 201, response.json()
    article = response.json()
    assert article["revision_count"] == 1
    assert post(editor, "/api/articles/", data).status_code == 200  # idempotent
    revision = post(editor, "/api/revisions/", {"article": article["id"], "text": "New text."})
    assert revision.status_code == 201
    assert revision.json()["number"] == 2
    detail = client_for(editor).get(f"/api/articles/{article['id']}/").json()
    assert detail["current_revision"] == revision.json()["id"]
    first = client_for(editor).get(f"/api/revisions/?article={article['id']}&ordering=number").json()["results"][0]
    assert client_for(editor).get(f"/api/revisions/{first['id']}/").json()["text"] == "Some text  kept\nexactly."


def test_editor_creates_claim_and_service_checks_selection(editor, revision):
    start = revision.text.index(QUOTE)
    data = {"revision": revision.pk, "start": start, "end": start + len(QUOTE), "exact": QUOTE}
    response = post(editor, "/api/claims/", {**data, "claim_reviewed": "Russia is a top-five arms exporter"})
    assert response.status_code == 201, response.json()
    claim = response.json()
    assert claim["prefix"] == "Russia continues to be "
    assert claim["anchor_state"] == "anchored"
    assert claim["anchor_revision"] == revision.pk
    assert (claim["anchor_start"], claim["anchor_end"], claim["anchor_exact"]) == (start, start + len(QUOTE), QUOTE)
    assert claim["reattached_exact"] == ""  # set when an editor re-attaches the claim by hand
    assert claim["annotation"].endswith(f"/annotations/{claim['id']}")

    mismatch = post(editor, "/api/claims/", {**data, "exact": "something else"})
    assert mismatch.status_code == 400
    assert "does not match" in mismatch.json()["exact"][0]
    outside = post(editor, "/api/claims/", {**data, "start": 5000, "end": 5010})
    assert outside.status_code == 400
    assert list(outside.json()) == ["selector"]


def test_anchor_fields_are_read_only(editor, revision):
    claim = make_claim(editor, revision)
    response = patch(editor, f"/api/claims/{claim.pk}/", {"anchor_state": "orphaned"})
    assert response.status_code == 400
    assert response.json() == {"anchor_state": ["Unknown field."]}
    ok = patch(editor, f"/api/claims/{claim.pk}/", {"claimant": "Vladimir Putin"})
    assert ok.status_code == 200
    assert ok.json()["claimant"] == "Vladimir Putin"
    assert ok.json()["anchor_state"] == "anchored"


def test_claims_filter_and_order(editor, editor2, revision):
    make_claim(editor, revision)
    make_claim(editor2, revision, "Putin underscored")
    by_author = client_for(editor).get("/api/claims/?author=ed2").json()
    assert [c["exact"] for c in by_author["results"]] == ["Putin underscored"]
    ordered = client_for(editor).get("/api/claims/?ordering=start").json()["results"]
    assert [c["exact"] for c in ordered] == [QUOTE, "Putin underscored"]
    bad = client_for(editor).get("/api/claims/?status=nonsense")
    assert bad.status_code == 400
    assert "status" in bad.json()


def test_pagination_limit_offset(editor, revision):
    for word in ("Russia", "top five", "Putin said", "military"):
        make_claim(editor, revision, word)
    page = client_for(editor).get("/api/claims/?limit=2&offset=1&ordering=start").json()
    assert page["count"] == 4
    assert [c["exact"] for c in page["results"]] == ["top five", "Putin said"]
    assert "offset=3" in page["next"]


# --- Evidence and verdicts -------------------------------------------------------------------------------------------


def test_evidence_is_refused_for_blocked_source(editor, admin_user, revision):
    claim = make_claim(editor, revision)
    services.source_save(actor=admin_user, name="Bad", domain="bad.example", blocked=True)
    refused = post(editor, "/api/evidence/", {"claim": claim.pk, "url": "https://bad.example/x", "stance": "refutes"})
    assert refused.status_code == 400
    assert "blocked" in refused.json()["url"][0]
    ok = post(editor, "/api/evidence/", {"claim": claim.pk, "url": "https://sipri.org/x", "stance": "supports"})
    assert ok.status_code == 201
    assert ok.json()["author"] == "ed"


def test_verdict_workflow_through_the_api(editor, reviewer, reviewer2, revision, rating):
    claim = make_claim(editor, revision)
    add_evidence(claim, editor)
    created = post(editor, "/api/verdicts/", {"claim": claim.pk, "rating": rating.pk, "explanation": "True."})
    assert created.status_code == 201, created.json()
    verdict = created.json()
    vid, version = verdict["id"], verdict["version"]
    again = post(editor, "/api/verdicts/", {"claim": claim.pk, "rating": rating.pk, "explanation": "x"})
    assert again.status_code == 400
    assert "already has a verdict" in again.json()["claim"][0]

    submitted = post(editor, f"/api/verdicts/{vid}/submit/", {"version": version})
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "in_review"

    assert post(editor, f"/api/verdicts/{vid}/approve/", {"version": 2}).status_code == 403  # editors never approve
    no_comment = post(reviewer, f"/api/verdicts/{vid}/request-changes/", {"version": 2, "comment": " "})
    assert no_comment.status_code == 400
    assert list(no_comment.json()) == ["comment"]
    sent_back = post(reviewer, f"/api/verdicts/{vid}/request-changes/", {"version": 2, "comment": "Cite SIPRI."})
    assert sent_back.json()["status"] == "changes_requested"

    edited = patch(
        editor, f"/api/verdicts/{vid}/", {"rating": rating.pk, "explanation": "True (SIPRI).", "version": 3}
    )
    assert edited.status_code == 200
    assert edited.json()["version"] == 4
    post(editor, f"/api/verdicts/{vid}/submit/", {"version": 4})
    approved = post(reviewer2, f"/api/verdicts/{vid}/approve/", {"version": 5, "comment": "Good."})
    assert approved.status_code == 200
    assert approved.json()["reviewer"] == "rev2"
    assert post(editor, f"/api/verdicts/{vid}/publish/", {"version": 6}).status_code == 403
    published = post(reviewer, f"/api/verdicts/{vid}/publish/", {"version": 6})
    assert published.json()["status"] == "published"
    assert Claim.objects.get(pk=claim.pk).status == "published"
    assert client_for().get(f"/api/claimreviews/{claim.pk}/").status_code == 200


def test_reviewer_cannot_approve_own_verdict(reviewer, revision, rating):
    claim = make_claim(reviewer, revision)
    verdict = services.verdict_save(actor=reviewer, claim=claim, rating=rating, explanation="Mine.")
    services.verdict_submit(actor=reviewer, verdict=verdict)
    response = post(reviewer, f"/api/verdicts/{verdict.pk}/approve/", {"version": 2})
    assert response.status_code == 403
    assert "Two-person rule" in response.json()["detail"]


def test_stale_version_gets_409_with_current_version(editor, revision, rating):
    claim = make_claim(editor, revision)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="First.")
    services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Second.", version=1)
    response = patch(
        editor, f"/api/verdicts/{verdict.pk}/", {"rating": rating.pk, "explanation": "Mine", "version": 1}
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert Verdict.objects.get(pk=verdict.pk).explanation == "Second."


def test_forbidden_transition_is_400_not_500(editor, reviewer, revision, rating):
    claim = make_claim(editor, revision)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Draft.")
    response = post(reviewer, f"/api/verdicts/{verdict.pk}/publish/", {"version": 1})
    assert response.status_code == 400
    assert "approved" in response.json()["status"][0]


# --- Sources, captures, activity -------------------------------------------------------------------------------------


def test_sources_are_read_by_all_and_written_by_admins(editor, admin_user):
    assert post(editor, "/api/sources/", {"name": "SIPRI", "domain": "sipri.org"}).status_code == 403
    created = post(
        admin_user, "/api/sources/", {"name": "SIPRI", "domain": "https://www.SIPRI.org/x", "kind": "research"}
    )
    assert created.status_code == 201, created.json()
    assert created.json()["domain"] == "sipri.org"
    duplicate = post(admin_user, "/api/sources/", {"name": "Again", "domain": "sipri.org"})
    assert duplicate.status_code == 400
    assert "already" in duplicate.json()["domain"][0]
    changed = patch(admin_user, f"/api/sources/{created.json()['id']}/", {"reliability": "high"})
    assert changed.json()["reliability"] == "high"
    assert client_for(editor).get("/api/sources/?kind=research").json()["count"] == 1
    assert Source.objects.get().reliability == "high"


def test_activity_filters(editor, reviewer, revision, rating):
    verdict = make_published(editor, reviewer, revision, rating)
    api = client_for(editor)
    by_actor = api.get("/api/activity/?actor=rev").json()["results"]
    assert {row["action"] for row in by_actor} == {"verdict_approved", "verdict_published"}
    by_claim = api.get(f"/api/activity/?claim={verdict.claim_id}&action=verdict_published").json()
    assert by_claim["count"] == 1
    assert by_claim["results"][0]["from_state"] == "approved"
    assert api.get(f"/api/activity/?article={revision.article_id}").json()["count"] >= 6


def test_captures_are_read_only(editor):
    from annotations.models import Capture

    capture = Capture.objects.create(url="https://sipri.org/x")
    api = client_for(editor)
    assert api.get(f"/api/captures/{capture.pk}/").json()["status"] == "pending"
    assert api.post("/api/captures/", {"url": "https://x.example"}, format="json").status_code == 405


# --- Errors and hardening --------------------------------------------------------------------------------------------


def test_unknown_fields_wrong_types_and_ranges_are_400(editor, revision):
    unknown = post(editor, "/api/claims/", {"revision": revision.pk, "start": 0, "end": 6, "exact": "Russia", "x": 1})
    assert unknown.status_code == 400
    assert unknown.json() == {"x": ["Unknown field."]}
    wrong = post(editor, "/api/claims/", {"revision": "abc", "start": "one", "end": 6, "exact": "Russia"})
    assert set(wrong.json()) == {"revision", "start"}
    huge = post(editor, "/api/claims/", {"revision": revision.pk, "start": 0, "end": 2**63, "exact": "Russia"})
    assert huge.status_code == 400
    assert "end" in huge.json()
    not_object = client_for(editor).post("/api/claims/", [1, 2], format="json")
    assert not_object.status_code == 400
    assert client_for(editor).get("/api/claims/99999999999999999999999/").status_code == 404


def test_malformed_json_and_unpaired_surrogates_are_400(editor):
    api = client_for(editor)
    broken = api.post("/api/sources/", b'{"name": ', content_type="application/json")
    assert broken.status_code == 400
    assert "JSON parse error" in broken.json()["detail"]
    surrogate = api.post(
        "/api/sources/", b'{"name": "\\ud800", "domain": "a.example"}', content_type="application/json"
    )
    assert surrogate.status_code == 400
    deep = api.post("/api/sources/", ("[" * 100_000 + "]" * 100_000).encode(), content_type="application/json")
    assert deep.status_code == 400
    form = api.post("/api/sources/", "name=x", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 415


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_oversized_body_is_413(editor, revision):
    response = post(editor, "/api/articles/", {"title": "T", "text": "x" * 2000})
    assert response.status_code == 413
    assert "limit is 1000" in response.json()["detail"]
    assert Article.objects.count() == 1


def test_string_lengths_are_checked(editor, revision):
    response = post(
        editor,
        "/api/claims/",
        {"revision": revision.pk, "start": 0, "end": 6, "exact": "Russia", "claim_reviewed": "x" * 76},
    )
    assert response.status_code == 400
    assert response.json() == {"claim_reviewed": ["Ensure this field has no more than 75 characters."]}


# --- Public ClaimReview feed and CSV export --------------------------------------------------------------------------


def test_claimreview_feed_is_public_and_matches_the_public_page(client, editor, reviewer, revision, rating):
    verdict = make_published(editor, reviewer, revision, rating)
    draft = make_claim(editor, revision, "Putin underscored")
    services.verdict_save(actor=editor, claim=draft, rating=rating, explanation="Draft.")
    feed = client_for().get("/api/claimreviews/")
    assert feed.status_code == 200
    documents = feed.json()["results"]
    assert len(documents) == 1  # drafts are never public
    html = client.get(f"/fact-checks/{verdict.claim_id}/").content.decode()
    embedded = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])
    assert documents[0] == embedded
    assert client_for().get(f"/api/claimreviews/{draft.pk}/").status_code == 404
    for field in ("claimReviewed", "reviewRating", "url", "author", "datePublished", "itemReviewed"):
        assert field in documents[0]
    for field in ("ratingValue", "bestRating", "worstRating", "alternateName"):
        assert field in documents[0]["reviewRating"]
    assert "note" not in json.dumps(documents[0])


def test_anonymous_cannot_read_drafts_or_evidence(editor, revision, rating):
    make_claim(editor, revision)
    anonymous = client_for()
    for url in ("/api/claims/", "/api/evidence/", "/api/verdicts/", "/api/exports/claims.csv", "/annotations/"):
        assert anonymous.get(url).status_code == 401, url


def test_csv_export_has_one_row_per_claim_with_verdict(editor, reviewer, revision, rating):
    make_published(editor, reviewer, revision, rating)
    make_claim(editor, revision, "Putin underscored", claimant='=HYPERLINK("http://evil")')
    response = client_for(editor).get("/api/exports/claims.csv", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2
    published = next(row for row in rows if row["exact"] == QUOTE)
    assert published["verdict_status"] == "published"
    assert published["rating"] == rating.label
    assert published["public_url"].endswith(f"/fact-checks/{published['claim_id']}/")
    other = next(row for row in rows if row["exact"] == "Putin underscored")
    assert other["verdict_id"] == ""
    assert other["claimant"].startswith("'=")  # no formula injection into spreadsheets
    filtered = client_for(editor).get("/api/exports/claims.csv?status=published")
    assert len(b"".join(filtered.streaming_content).decode().strip().splitlines()) == 2


def test_schema_and_docs_are_served(client):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    validate_schema(SchemaGenerator().get_schema(request=None, public=True))
    schema = client.get("/api/schema/?format=json").json()
    post_claims = schema["paths"]["/api/claims/"]["post"]
    assert {"201", "400", "401", "403", "413", "415"} <= set(post_claims["responses"])
    assert "409" in schema["paths"]["/api/verdicts/{id}/approve/"]["post"]["responses"]
    assert "/annotations/" in schema["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    csp = dict(part.strip().split(" ", 1) for part in docs.headers["Content-Security-Policy"].split(";"))
    assert "unsafe-inline" in csp["style-src"] and "unsafe-inline" not in csp["script-src"]
