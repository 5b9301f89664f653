"""Assignments: who checks and reviews a claim or an article (services, the web pages and the API)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotations import services
from annotations.models import Activity, Assignment

from .api_support import client_for
from .conftest import make_user
from .factories import RevisionFactory, make_claim

pytestmark = pytest.mark.django_db


def claims_on(editor, count: int):
    words = [f"w{i:03d}" for i in range(count)]
    revision = RevisionFactory(text=" ".join(words))
    return [make_claim(revision, editor, word) for word in words]


# --- Services --------------------------------------------------------------------------------------------------------


def test_a_reviewer_assigns_a_checker_a_reviewer_and_a_due_date_and_the_log_says_so(editor, reviewer, reviewer2):
    (claim,) = claims_on(editor, 1)
    due = timezone.localdate() + datetime.timedelta(days=3)
    assignment = services.assign(actor=reviewer, claim=claim, checker="ed", reviewer=reviewer2, due=due)
    assignment.refresh_from_db()
    assert (assignment.checker, assignment.reviewer, assignment.due, assignment.assigned_by) == (
        editor,
        reviewer2,
        due,
        reviewer,
    )
    entry = Activity.objects.get(action="work_assigned")
    assert entry.claim == claim and entry.article == claim.article
    assert entry.comment == f"checker: ed; reviewer: rev2; due: {due.isoformat()}"


def test_an_admin_assigns_an_article(editor, admin_user, reviewer):
    (claim,) = claims_on(editor, 1)
    assignment = services.assign(actor=admin_user, article=claim.article, checker=editor, reviewer=reviewer)
    assert assignment.article == claim.article and assignment.claim is None


def test_nobody_reviews_what_they_check(editor, reviewer):
    (claim,) = claims_on(editor, 1)
    with pytest.raises(ValidationError) as refused:
        services.assign(actor=reviewer, claim=claim, checker=reviewer, reviewer=reviewer)
    assert "Two-person rule" in str(refused.value.message_dict["reviewer"])


def test_the_reviewer_cannot_be_who_wrote_the_verdict(editor, reviewer, rating):
    (claim,) = claims_on(editor, 1)
    services.verdict_save(actor=reviewer, claim=claim, rating=rating, explanation="Because.")
    with pytest.raises(ValidationError) as refused:
        services.assign(actor=reviewer, claim=claim, checker=editor, reviewer=reviewer)
    assert "Two-person rule: rev wrote or edited" in refused.value.message_dict["reviewer"][0]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"checker": "nobody-here"}, "checker", "There is no active user 'nobody-here'"),
        ({"reviewer": "ed"}, "reviewer", "ed cannot review"),
        ({"checker": "viewer"}, "checker", "viewer cannot check"),
        ({"due": datetime.date(2000, 1, 1)}, "due", "The due date 2000-01-01 is in the past"),
    ],
)
def test_assignments_are_refused_naming_the_field(editor, reviewer, fields, field, words):
    make_user("viewer", None)
    (claim,) = claims_on(editor, 1)
    with pytest.raises(ValidationError) as refused:
        services.assign(actor=reviewer, claim=claim, **fields)
    assert words in refused.value.message_dict[field][0]
    assert not Assignment.objects.exclude(checker=None).exists()


def test_an_editor_takes_unassigned_work_for_themselves_only(editor, editor2, reviewer):
    first, second = claims_on(editor, 2)
    assert services.take(actor=editor2, claim=first).checker == editor2
    with pytest.raises(PermissionDenied, match="ed2 already checks this"):
        services.take(actor=editor, claim=first)
    with pytest.raises(PermissionDenied, match="Only reviewers and admins assign"):
        services.assign(actor=editor, claim=second, checker=editor2)
    with pytest.raises(PermissionDenied, match="Only reviewers and admins assign"):
        services.assign(actor=editor, claim=second, checker=editor, reviewer=reviewer)


def test_someone_without_a_role_assigns_nothing(editor):
    (claim,) = claims_on(editor, 1)
    with pytest.raises(PermissionDenied):
        services.assign(actor=make_user("nobody", None), claim=claim, checker=editor)


def test_bulk_assignment_is_all_or_nothing(editor, reviewer):
    first, second = claims_on(editor, 2)
    services.verdict_save(actor=reviewer, claim=second, rating=_rating(), explanation="Because.")
    with pytest.raises(ValidationError):
        services.assign_many(actor=reviewer, claims=[first, second], checker=editor, reviewer=reviewer)
    assert not Assignment.objects.exclude(checker=None).exists()


def _rating():
    from .factories import RatingFactory

    return RatingFactory()


# --- Web pages -------------------------------------------------------------------------------------------------------


def test_my_work_lists_overdue_work_first_then_by_due_date(client, editor, reviewer):
    claims = claims_on(editor, 4)
    today = timezone.localdate()
    dues = [today + datetime.timedelta(days=5), None, today + datetime.timedelta(days=1), today]
    for claim, due in zip(claims, dues, strict=True):
        services.assign(actor=reviewer, claim=claim, checker=editor, due=due)
    overdue = claims[1]
    Assignment.objects.filter(claim=overdue).update(due=today - datetime.timedelta(days=2))  # it was due earlier
    services.assign(actor=reviewer, article=claims[0].article, reviewer=reviewer)  # someone else's part
    client.force_login(editor)
    page = client.get("/my-work/")
    assert page.status_code == 200
    listed = [a.claim_id for a in page.context["assignments"]]
    assert listed == [overdue.pk, claims[3].pk, claims[2].pk, claims[0].pk]
    assert page.content.decode().count("Overdue</span>") == 1
    assert 'id="my-work-link"' in page.content.decode()


def test_my_work_costs_the_same_queries_for_one_or_many_rows(client, editor, reviewer):
    client.force_login(editor)

    def count():
        client.get("/my-work/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/my-work/").status_code == 200
        return len(captured)

    for claim in claims_on(editor, 1):
        services.assign(actor=reviewer, claim=claim, checker=editor)
    one = count()
    for claim in claims_on(editor, 20):
        services.assign(actor=reviewer, claim=claim, checker=editor)
    assert count() == one


def test_the_review_queue_filters_by_assigned_reviewer(client, editor, reviewer, reviewer2, rating):
    mine, theirs, nobodys = claims_on(editor, 3)
    for claim in (mine, theirs, nobodys):
        verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Because.")
        services.verdict_submit(actor=editor, verdict=verdict)
    services.assign(actor=reviewer, claim=mine, reviewer=reviewer)
    services.assign(actor=reviewer, claim=theirs, reviewer=reviewer2)
    client.force_login(reviewer)

    def listed(assignee):
        page = client.get("/review/", {"assignee": assignee})
        return {verdict.claim_id for verdict in page.context["page"].object_list}

    assert listed("me") == {mine.pk}
    assert listed(str(reviewer2.pk)) == {theirs.pk}
    assert listed("none") == {nobodys.pk}
    assert listed("") == {mine.pk, theirs.pk, nobodys.pk}


def test_the_review_queue_costs_the_same_queries_whatever_the_assignments(client, editor, reviewer, rating):
    client.force_login(reviewer)

    def count():
        client.get("/review/")
        with CaptureQueriesContext(connection) as captured:
            client.get("/review/")
        return len(captured)

    def queue(count_):
        for claim in claims_on(editor, count_):
            verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Because.")
            services.verdict_submit(actor=editor, verdict=verdict)
            services.assign(actor=reviewer, claim=claim, checker=editor, reviewer=reviewer)

    queue(1)
    one = count()
    queue(10)
    assert count() == one


def test_bulk_assign_from_the_claims_list(client, editor, reviewer, reviewer2):
    claims = claims_on(editor, 3)
    client.force_login(reviewer)
    page = client.get("/claims/")
    assert 'form="bulk-assign"' in page.content.decode() and 'id="bulk-assign"' in page.content.decode()
    due = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        "/claims/assign/",
        {"claims": [claims[0].pk, claims[2].pk], "checker": "ed", "reviewer": "rev2", "due": due, "next": "/claims/"},
    )
    assert response.status_code == 302 and response["Location"] == "/claims/"
    assigned = Assignment.objects.order_by("claim_id")
    assert [(a.claim_id, a.checker, a.reviewer, a.due.isoformat()) for a in assigned] == [
        (claims[0].pk, editor, reviewer2, due),
        (claims[2].pk, editor, reviewer2, due),
    ]
    listing = client.get("/claims/").content.decode()
    assert listing.count("Checker: ed") == 2


def test_a_refused_bulk_assign_assigns_nothing_and_says_why(client, editor, reviewer):
    claims = claims_on(editor, 2)
    client.force_login(reviewer)
    response = client.post(
        "/claims/assign/", {"claims": [c.pk for c in claims], "checker": "rev", "reviewer": "rev"}, follow=True
    )
    assert "Nothing assigned: Two-person rule" in response.content.decode()
    assert not Assignment.objects.exclude(checker=None).exists()


def test_an_editor_takes_claims_from_the_list_but_cannot_assign_others(client, editor, editor2):
    claims = claims_on(editor, 2)
    client.force_login(editor2)
    page = client.get("/claims/").content.decode()
    assert "Take selected" in page and "Assign selected" not in page
    client.post("/claims/assign/", {"claims": [claims[0].pk], "take": "1"})
    assert Assignment.objects.get(claim=claims[0]).checker == editor2
    response = client.post("/claims/assign/", {"claims": [claims[1].pk], "checker": "ed"}, follow=True)
    assert "Nothing assigned: Only reviewers and admins assign" in response.content.decode()


def test_the_bulk_assign_post_needs_the_csrf_token(editor, reviewer):
    (claim,) = claims_on(editor, 1)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reviewer)
    assert strict.post("/claims/assign/", {"claims": [claim.pk], "checker": "ed"}).status_code == 403
    assert not Assignment.objects.exists()


def test_the_claims_list_costs_the_same_queries_with_assignments(client, editor, reviewer):
    client.force_login(reviewer)

    def count():
        client.get("/claims/")
        with CaptureQueriesContext(connection) as captured:
            client.get("/claims/")
        return len(captured)

    for claim in claims_on(editor, 1):
        services.assign(actor=reviewer, claim=claim, checker=editor, reviewer=reviewer)
    one = count()
    for claim in claims_on(editor, 10):
        services.assign(actor=reviewer, claim=claim, checker=editor, reviewer=reviewer)
    assert count() == one


# --- API -------------------------------------------------------------------------------------------------------------


def test_the_api_assigns_and_shows_the_assignment(editor, reviewer, reviewer2):
    (claim,) = claims_on(editor, 1)
    api = client_for(reviewer)
    assert api.get(f"/api/claims/{claim.pk}/").json()["assignment"] is None
    due = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = api.post(
        f"/api/claims/{claim.pk}/assignment/", {"checker": "ed", "reviewer": "rev2", "due": due}, format="json"
    )
    assert response.status_code == 200, response.json()
    assignment = response.json()["assignment"]
    assert {k: assignment[k] for k in ("checker", "reviewer", "due", "assigned_by")} == {
        "checker": "ed",
        "reviewer": "rev2",
        "due": due,
        "assigned_by": "rev",
    }
    listed = api.get("/api/claims/").json()["results"][0]["assignment"]
    assert listed["checker"] == "ed" and listed["reviewer"] == "rev2"
    api.post(f"/api/claims/{claim.pk}/assignment/", {"reviewer": None}, format="json")
    listed = api.get("/api/claims/").json()["results"][0]["assignment"]  # the list's caches see the change
    assert listed["checker"] == "ed" and listed["reviewer"] is None


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"checker": "ghost"}, "checker", "no active user"),
        ({"reviewer": "ed"}, "reviewer", "cannot review"),
        ({"due": "2001-02-03"}, "due", "in the past"),
        ({"due": "soon"}, "due", ""),
        ({"checker": "ed", "colour": "red"}, None, ""),
    ],
)
def test_the_api_answers_400_naming_the_field(editor, reviewer, body, field, words):
    (claim,) = claims_on(editor, 1)
    response = client_for(reviewer).post(f"/api/claims/{claim.pk}/assignment/", body, format="json")
    assert response.status_code == 400
    text = str(response.json())
    assert (field or "colour") in text and words in text


def test_the_api_refuses_an_editor_assigning_someone_else(editor, editor2):
    (claim,) = claims_on(editor, 1)
    api = client_for(editor)
    assert api.post(f"/api/claims/{claim.pk}/assignment/", {"checker": "ed2"}, format="json").status_code == 403
    assert api.post(f"/api/claims/{claim.pk}/assignment/", {"checker": "ed"}, format="json").status_code == 200


def test_an_assigned_claim_s_document_matches_the_documented_serializer(editor, reviewer):
    from rest_framework.renderers import JSONRenderer

    from annotations.api.representation import claim_documents
    from annotations.api.serializers import ClaimSerializer
    from annotations.selectors import claims_for_api

    assigned, other = claims_on(editor, 2)
    services.assign(actor=reviewer, claim=assigned, checker=editor, due=timezone.localdate())
    services.assign(actor=reviewer, claim=other, reviewer=reviewer)
    claims = list(claims_for_api().order_by("id"))
    fast = claim_documents([claim.pk for claim in claims])
    assert fast[0]["assignment"]["checker"] == "ed" and fast[1]["assignment"]["reviewer"] == "rev"
    assert JSONRenderer().render(fast) == JSONRenderer().render(ClaimSerializer(claims, many=True).data)


def test_the_api_assigns_an_article_with_the_same_rules(editor, reviewer):
    (claim,) = claims_on(editor, 1)
    api = client_for(reviewer)
    url = f"/api/articles/{claim.article_id}/assignment/"
    response = api.post(url, {"checker": "ed", "reviewer": "rev"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["checker"] == "ed" and response.json()["reviewer"] == "rev"
    assert Assignment.objects.get(article=claim.article).checker == editor
    refused = api.post(url, {"reviewer": "ed"}, format="json")
    assert refused.status_code == 400 and "cannot review" in str(refused.json())
    assert client_for(editor).post(url, {"reviewer": None}, format="json").status_code == 403  # editors only take
