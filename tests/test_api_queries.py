"""Listing claims (with evidence and verdicts) and annotations costs the same number of queries for 1 or 50 rows."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services

from .api_support import client_for
from .factories import RevisionFactory

pytestmark = pytest.mark.django_db


def make_claims(editor, rating, count: int):
    words = [f"w{i:03d}" for i in range(count)]
    revision = RevisionFactory(text=" ".join(words))
    for index, word in enumerate(words):
        start = revision.text.index(word)
        claim = services.claim_create(actor=editor, revision=revision, start=start, end=start + 4, exact=word)
        for stance in ("supports", "refutes"):
            services.evidence_add(actor=editor, claim=claim, url=f"https://ev.example/{index}/{stance}", stance=stance)
        services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Because.")


def queries_for(editor, url: str, expected_rows: int, rows_of) -> int:
    api = client_for(editor)
    api.get(url)  # warm up: the token row and content types are cached per process after the first call
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200
    assert len(rows_of(response.json())) == expected_rows
    return len(captured)


@pytest.mark.parametrize(
    ("url", "rows_of"),
    [
        ("/api/claims/?limit=100", lambda body: body["results"]),
        ("/annotations/?page=0", lambda body: body["items"]),
    ],
    ids=["claims", "annotations"],
)
def test_list_query_count_does_not_grow_with_rows(editor, rating, url, rows_of):
    make_claims(editor, rating, 1)
    one = queries_for(editor, url, 1, rows_of)
    make_claims(editor, rating, 49)
    fifty = queries_for(editor, url, 50, rows_of)
    assert one == fifty
    assert fifty <= 8


def test_claims_list_query_count_exact(editor, rating, django_assert_num_queries):
    make_claims(editor, rating, 50)
    api = client_for(editor)
    api.get("/api/claims/?limit=1")  # warm up the token and permissions caches, not the documents
    # token + permissions and groups (one query: auth_backend) + count + the page's ids with the version of each
    # claim's rows (row_versions) + claims + evidence + verdicts
    with django_assert_num_queries(7):
        body = api.get("/api/claims/?limit=50").json()
    assert all(len(claim["evidence"]) == 2 and claim["verdict"] for claim in body["results"])
    # Unchanged claims come from the worker's memory: token, permissions, count, ids with versions.
    with django_assert_num_queries(4):
        assert api.get("/api/claims/?limit=50").json() == body


def test_a_listed_claim_changed_by_any_path_is_listed_as_it_is_now(editor, reviewer, rating):
    from annotations.models import Claim, Evidence, Rating, Verdict

    make_claims(editor, rating, 3)
    api = client_for(editor)
    first = api.get("/api/claims/").json()["results"]
    claim_id = first[0]["id"]

    def listed() -> dict:
        return next(c for c in api.get("/api/claims/").json()["results"] if c["id"] == claim_id)

    Claim.objects.filter(pk=claim_id).update(anchor_score=0.5)  # as the re-anchoring writes, no updated_at
    assert listed()["anchor_score"] == 0.5
    Evidence.objects.filter(claim_id=claim_id).update(note="Seen in the archive.")  # no updated_at either
    assert {e["note"] for e in listed()["evidence"]} == {"Seen in the archive."}
    Rating.objects.filter(pk=rating.pk).update(label="Renamed rating")
    assert listed()["verdict"]["rating_label"] == "Renamed rating"
    editor.username = "renamed-editor"
    editor.save()
    assert listed()["author"] == "renamed-editor" and listed()["verdict"]["author"] == "renamed-editor"
    Evidence.objects.filter(claim_id=claim_id).first().delete()
    assert len(listed()["evidence"]) == 1
    Verdict.objects.filter(claim_id=claim_id).delete()
    assert listed()["verdict"] is None


def test_csv_export_query_count_does_not_grow_with_rows(editor, rating):
    def count() -> int:
        api = client_for(editor)
        with CaptureQueriesContext(connection) as captured:
            response = api.get("/api/exports/claims.csv")
            rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        return len(captured), len(rows) - 1  # a cell has a line per evidence: a row spans several lines

    make_claims(editor, rating, 1)
    one, rows = count()
    assert rows == 1
    make_claims(editor, rating, 49)
    fifty, rows = count()
    assert rows == 50
    assert one == fifty


def test_claim_documents_match_the_documented_serializer(editor, reviewer, revision, rating):
    """The fast representation and ClaimSerializer (which the OpenAPI schema is built from) give the same JSON."""
    from rest_framework.renderers import JSONRenderer

    from annotations.api.representation import claim_documents
    from annotations.api.serializers import ClaimSerializer
    from annotations.selectors import claims_for_api

    from .api_support import make_claim, make_published

    make_published(editor, reviewer, revision, rating)
    make_claim(editor, revision, "Putin underscored")
    claims = list(claims_for_api().order_by("id"))
    fast = claim_documents([claim.pk for claim in claims])
    documented = ClaimSerializer(claims, many=True).data
    assert JSONRenderer().render(fast) == JSONRenderer().render(documented)


def test_claims_list_answers_a_conditional_get_with_304_until_a_claim_changes(editor, rating):
    make_claims(editor, rating, 3)
    api = client_for(editor)
    first = api.get("/api/claims/")
    assert first.status_code == 200 and first["Cache-Control"] == "private, no-cache"
    assert api.get("/api/claims/", headers={"if-none-match": first["ETag"]}).status_code == 304
    claim = services.claim_update(actor=editor, claim=first_claim(), claimant="Someone else", claim_reviewed="")
    changed = api.get("/api/claims/", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert any(c["claimant"] == "Someone else" and c["id"] == claim.pk for c in changed.json()["results"])


def first_claim():
    from annotations.models import Claim

    return Claim.objects.order_by("pk").first()


def test_a_conditional_get_of_the_list_costs_no_document(editor, rating, django_assert_num_queries):
    from annotations.models import Evidence

    make_claims(editor, rating, 3)
    api = client_for(editor)
    etag = api.get("/api/claims/")["ETag"]
    # token, permissions and groups, count, the page's ids with versions: no claim, evidence or verdict read
    with django_assert_num_queries(4):
        response = api.get("/api/claims/", headers={"if-none-match": etag})
    assert response.status_code == 304 and response["ETag"] == etag
    assert api.get("/api/claims/?limit=2", headers={"if-none-match": etag}).status_code == 200  # another page
    Evidence.objects.filter(claim__in=[c["id"] for c in api.get("/api/claims/").json()["results"]][:1]).update(
        note="Checked."
    )  # a write that touches no updated_at
    assert api.get("/api/claims/", headers={"if-none-match": etag}).status_code == 200
