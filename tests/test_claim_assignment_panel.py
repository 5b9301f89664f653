"""The claim panel's assignment: reviewers assign the claim's checker, reviewer and due date there; editors take
unassigned claims; refusals come back in the panel naming what was wrong."""

import datetime
import json

import pytest
from django.utils import timezone

from annotations.models import Assignment, Notification

from .conftest import make_user
from .factories import make_claim

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def panel_url(claim) -> str:
    return f"/articles/{claim.article_id}/?claim={claim.pk}"


def post(client, claim, data, **headers):
    return client.post(f"/claims/{claim.pk}/assignment/", data, **headers)


def test_a_reviewer_assigns_the_claim_from_its_panel_and_the_checker_is_told(
    client, revision, editor, reviewer, reviewer2
):
    claim = make_claim(revision, editor)
    client.force_login(reviewer)
    page = client.get(panel_url(claim)).content.decode()
    assert 'id="assignment-form"' in page and "Nobody is assigned." in page
    assert '<option value="ed">ed</option>' in page and '<option value="rev2">rev2</option>' in page
    due = timezone.localdate() + datetime.timedelta(days=3)
    response = post(client, claim, {"checker": "ed", "reviewer": "rev2", "due": due.isoformat()}, **FETCH)
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["message"] == "Assignment saved." and data["where"] == "assignment-heading"
    assert "Checker: <strong>ed</strong> · Reviewer: <strong>rev2</strong>" in data["panel"]
    assert '<option value="ed" selected>ed</option>' in data["panel"]
    assignment = Assignment.objects.get(claim=claim)
    assert (assignment.checker, assignment.reviewer, assignment.due) == (editor, reviewer2, due)
    kinds = set(Notification.objects.filter(claim=claim).values_list("recipient__username", "kind"))
    assert kinds == {("ed", "assigned"), ("rev2", "assigned")}


def test_without_javascript_the_form_redirects_back_to_the_claim(client, revision, editor, reviewer):
    claim = make_claim(revision, editor)
    client.force_login(reviewer)
    response = post(client, claim, {"checker": "ed", "reviewer": "", "due": ""})
    assert response.status_code == 302 and response["Location"].endswith(f"?claim={claim.pk}#panel")
    assert "Assignment saved." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"checker": "ed", "reviewer": "", "due": "next friday"}, "'next friday' is not a date (YYYY-MM-DD)."),
        ({"checker": "ed", "reviewer": "", "due": "2001-01-01"}, "past"),
        ({"checker": "nobody-like-this", "reviewer": "", "due": ""}, "nobody-like-this"),
        ({"checker": "rev", "reviewer": "rev", "due": ""}, "Two-person rule"),
    ],
)
def test_refusals_name_what_was_wrong_and_change_nothing(client, revision, editor, reviewer, data, words):
    claim = make_claim(revision, editor)
    client.force_login(reviewer)
    response = post(client, claim, data, **FETCH)
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["level"] == "error" and body["message"].startswith("Not assigned:") and words in body["message"]
    assert not Assignment.objects.filter(claim=claim, checker__isnull=False).exists()


def test_an_editor_takes_an_unassigned_claim_and_then_nobody_else_can(client, revision, editor, editor2):
    claim = make_claim(revision, editor)
    client.force_login(editor2)
    page = client.get(panel_url(claim)).content.decode()
    assert 'id="take-button"' in page and 'id="assignment-form"' not in page  # editors take, they do not assign
    data = json.loads(post(client, claim, {"take": "1"}, **FETCH).content)
    assert data["message"] == "You check this claim now." and "Checker: <strong>ed2</strong>" in data["panel"]
    assert 'id="take-button"' not in data["panel"]
    client.force_login(editor)
    assert 'id="take-button"' not in client.get(panel_url(claim)).content.decode()
    refused = post(client, claim, {"take": "1"}, **FETCH)
    assert refused.status_code == 400 and "ed2 already checks this" in json.loads(refused.content)["message"]
    # Nor may an editor post the assign form by hand.
    refused = post(client, claim, {"checker": "ed", "reviewer": "", "due": ""}, **FETCH)
    assert refused.status_code == 400 and Assignment.objects.get(claim=claim).checker.username == "ed2"


def test_who_has_no_desk_role_cannot_assign_and_anonymous_is_sent_to_sign_in(client, revision, editor):
    claim = make_claim(revision, editor)
    assert post(client, claim, {"take": "1"}).status_code == 302
    client.force_login(make_user("reader", None))
    assert post(client, claim, {"take": "1"}).status_code == 403
    assert not Assignment.objects.filter(claim=claim).exists()


def test_an_overdue_claim_says_so_in_its_panel(client, revision, editor, reviewer):
    claim = make_claim(revision, editor)
    Assignment.objects.create(claim=claim, checker=editor, due=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(editor)
    page = client.get(panel_url(claim)).content.decode()
    assert "Checker: <strong>ed</strong>" in page and "Overdue" in page.split('id="assignment-summary"')[1][:600]


def test_the_panel_reads_the_assignment_and_its_choices_in_a_fixed_number_of_queries(
    client, revision, editor, reviewer, django_assert_max_num_queries
):
    claim = make_claim(revision, editor)
    client.force_login(reviewer)
    client.get(panel_url(claim))
    with django_assert_max_num_queries(40) as few:
        client.get(panel_url(claim))
    for n in range(8):
        make_user(f"member{n}", "Editors")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "member7" in client.get(panel_url(claim)).content.decode()
