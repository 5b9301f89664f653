"""The discussion: comment threads on claims with @mentions, the edit window, sanitising, and the API."""

import datetime
import json
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from annotations.models import Activity, Notification
from discussion import services
from discussion.models import Comment
from discussion.rendering import render

from .api_support import client_for
from .conftest import make_user
from .factories import make_claim

pytestmark = pytest.mark.django_db
MENTIONED = Notification.Kind.MENTIONED


@pytest.fixture
def claim(editor, revision):
    return make_claim(revision, editor)


def mentions_of(user):
    return Notification.objects.filter(recipient=user, kind=MENTIONED)


# --- Rendering and sanitising --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        "<b onclick=alert(1)>bold</b>",
        "<iframe src=https://evil.example></iframe>",
        "javascript:alert(1)",
        '"><svg/onload=alert(1)>',
    ],
)
def test_nothing_typed_becomes_markup(typed):
    class Tags(HTMLParser):
        found: list = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, dict(attrs)))

    parser = Tags()
    parser.found = []
    parser.feed(render(typed, {}))
    assert {tag for tag, _ in parser.found} <= {"p", "br", "a", "span"}
    for _tag, attrs in parser.found:
        assert not [name for name in attrs if name.startswith("on")]
        assert not attrs.get("href", "").lower().startswith("javascript")
    # What was typed is text in one paragraph; at most a bare URL in it became a plain link.
    assert [tag for tag, _ in parser.found if tag != "a"] == ["p"]
    assert all(attrs["href"].startswith("https://") for tag, attrs in parser.found if tag == "a")


def test_links_are_clickable_and_only_http_https():
    html = render("See https://www.sipri.org/databases?x=1&y=2. And ftp://old.example too", {})
    assert '<a href="https://www.sipri.org/databases?x=1&amp;y=2" rel="nofollow noopener noreferrer">' in html
    assert "</a>. And ftp://old.example too" in html  # the full stop stays out of the link; ftp is not linked


def test_mentions_of_members_are_marked_and_others_stay_text():
    html = render("@rev, look.\n@nobody here?\n\nAlso email@rev.example", {"rev": 7})
    assert '<span class="mention" data-user="7">@rev</span>, look.<br>@nobody here?</p><p>' in html
    assert "email@rev.example" in html and html.count("mention") == 1


# --- Services --------------------------------------------------------------------------------------------------------


def test_a_comment_mentioning_a_colleague_tells_them_once(claim, editor, reviewer):
    comment = services.comment_add(actor=editor, claim=claim, body="@rev can you look at the SIPRI table? @rev")
    assert [u.username for u in comment.mentions.all()] == ["rev"]
    told = mentions_of(reviewer).get()
    assert told.claim == claim and told.actor == editor and "ed mentioned you" in told.message
    assert "SIPRI table" in told.message
    # An edit keeps the mention: nobody is told twice.
    services.comment_edit(actor=editor, comment=comment, body="@rev can you look at the table, please?")
    assert mentions_of(reviewer).count() == 1


def test_an_edit_that_adds_a_mention_tells_only_the_new_person(claim, editor, reviewer, reviewer2):
    comment = services.comment_add(actor=editor, claim=claim, body="@rev first")
    services.comment_edit(actor=editor, comment=comment, body="@rev first, and @rev2 too")
    assert mentions_of(reviewer).count() == 1 and mentions_of(reviewer2).count() == 1
    assert Comment.objects.get(pk=comment.pk).edited_at is not None


def test_mentioning_oneself_or_someone_without_a_role_tells_nobody(claim, editor):
    make_user("outsider", None)
    services.comment_add(actor=editor, claim=claim, body="@ed @outsider")
    assert not Notification.objects.filter(kind=MENTIONED).exists()


def test_only_desk_members_comment(claim):
    with pytest.raises(PermissionDenied, match="Only editors, reviewers and admins"):
        services.comment_add(actor=make_user("outsider", None), claim=claim, body="Hello")


@pytest.mark.parametrize(
    ("body", "words"), [("", "Write something"), ("   ", "Write something"), ("x" * 5001, "5000")]
)
def test_empty_or_long_comments_are_refused_naming_the_body(claim, editor, body, words):
    with pytest.raises(ValidationError) as refused:
        services.comment_add(actor=editor, claim=claim, body=body)
    assert words in refused.value.message_dict["body"][0]
    assert not Comment.objects.exists()


def test_the_author_edits_within_the_window_and_not_after(claim, editor, editor2, settings):
    comment = services.comment_add(actor=editor, claim=claim, body="First thought")
    with pytest.raises(PermissionDenied, match="Only its author"):
        services.comment_edit(actor=editor2, comment=comment, body="Hijacked")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=6))
    with pytest.raises(PermissionDenied, match="edited for 5 minutes"):
        services.comment_edit(actor=editor, comment=comment, body="Second thought")
    settings.DISCUSSION_EDIT_WINDOW = 3600
    assert services.comment_edit(actor=editor, comment=comment, body="Second thought").body == "Second thought"


def test_reviewers_remove_any_comment_on_the_record_and_authors_their_own(claim, editor, editor2, reviewer):
    mine = services.comment_add(actor=editor, claim=claim, body="Oops")
    theirs = services.comment_add(actor=editor2, claim=claim, body="Off topic")
    with pytest.raises(PermissionDenied, match="Only reviewers and admins"):
        services.comment_remove(actor=editor, comment=theirs)
    services.comment_remove(actor=editor, comment=mine)
    services.comment_remove(actor=reviewer, comment=theirs)
    assert all(c.is_removed for c in Comment.objects.all())
    assert list(Activity.objects.filter(action="comment_removed").values_list("actor__username", flat=True)) == ["rev"]
    with pytest.raises(PermissionDenied, match="removed already"):
        services.comment_remove(actor=reviewer, comment=theirs)


# --- API -------------------------------------------------------------------------------------------------------------


def test_the_api_posts_lists_edits_and_removes_comments(claim, editor, reviewer):
    api = client_for(editor)
    created = api.post(f"/api/claims/{claim.pk}/comments/", {"body": "@rev see https://a.example/x"}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["author"] == "ed" and body["mentions"] == ["rev"] and body["removed"] is False
    assert '<a href="https://a.example/x" rel="nofollow noopener noreferrer">' in body["body_html"]
    listed = client_for(reviewer).get(f"/api/claims/{claim.pk}/comments/").json()["results"]
    assert [c["id"] for c in listed] == [body["id"]]
    patched = api.patch(f"/api/comments/{body['id']}/", {"body": "Changed"}, format="json")
    assert patched.status_code == 200 and patched.json()["edited_at"] is not None
    assert client_for(reviewer).patch(f"/api/comments/{body['id']}/", {"body": "x"}, format="json").status_code == 403
    removed = api.delete(f"/api/comments/{body['id']}/").json()
    assert removed["removed"] is True and removed["body"] == "" and removed["body_html"] == ""


@pytest.mark.parametrize(
    ("data", "field"),
    [({}, "body"), ({"body": ""}, "body"), ({"body": "x" * 5001}, "body"), ({"body": "x", "author": 1}, "author")],
)
def test_bad_comments_get_a_400_naming_the_field(claim, editor, data, field):
    response = client_for(editor).post(f"/api/claims/{claim.pk}/comments/", data, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Comment.objects.exists()


def test_who_may_not_take_part_is_refused(claim):
    assert client_for().get(f"/api/claims/{claim.pk}/comments/").status_code in (401, 403)
    outsider = client_for(make_user("outsider", None))
    assert outsider.post(f"/api/claims/{claim.pk}/comments/", {"body": "hi"}, format="json").status_code == 403
    assert outsider.get("/api/desk-members/?q=e").status_code == 403
    assert client_for().get("/api/claims/999999/comments/").status_code in (401, 403)


def test_desk_members_for_the_autocomplete(editor, editor2, reviewer):
    make_user("outsider", None)
    api = client_for(editor)
    assert [m["username"] for m in api.get("/api/desk-members/?q=ed").json()["results"]] == ["ed", "ed2"]
    assert [m["username"] for m in api.get("/api/desk-members/?q=@RE").json()["results"]] == ["rev"]
    everyone = [m["username"] for m in api.get("/api/desk-members/").json()["results"]]
    assert "outsider" not in everyone and everyone == sorted(everyone)


def test_a_thread_costs_the_same_queries_for_two_and_twelve_comments(
    claim, editor, reviewer, django_assert_max_num_queries
):
    api = client_for(reviewer)
    for n in range(2):
        services.comment_add(actor=editor, claim=claim, body=f"@rev note {n}")
    with django_assert_max_num_queries(20) as two:
        assert len(api.get(f"/api/claims/{claim.pk}/comments/").json()["results"]) == 2
    for n in range(10):
        services.comment_add(actor=editor, claim=claim, body=f"@rev note {n}")
    with django_assert_max_num_queries(len(two.captured_queries)):
        assert len(api.get(f"/api/claims/{claim.pk}/comments/").json()["results"]) == 12


# --- The claim panel -------------------------------------------------------------------------------------------------


def test_the_panel_shows_the_thread_and_posts_in_place(client, claim, editor, reviewer, django_assert_max_num_queries):
    client.force_login(reviewer)
    url = f"/articles/{claim.article_id}/?claim={claim.pk}"
    services.comment_add(actor=editor, claim=claim, body="<b>bold?</b> @rev")
    page = client.get(url).content.decode()
    assert 'id="discussion"' in page and "&lt;b&gt;bold?&lt;/b&gt;" in page and 'class="mention"' in page
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for n in range(6):
        services.comment_add(actor=editor, claim=claim, body=f"More {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "More 5" in client.get(url).content.decode()
    answer = client.post(f"/claims/{claim.pk}/comments/", {"body": "Agreed."}, HTTP_X_REQUESTED_WITH="fetch")
    data = json.loads(answer.content)
    assert answer.status_code == 200 and data["message"] == "Comment posted." and "Agreed." in data["panel"]
    refused = client.post(f"/claims/{claim.pk}/comments/", {"body": " "}, HTTP_X_REQUESTED_WITH="fetch")
    assert refused.status_code == 400 and "Write something" in json.loads(refused.content)["message"]
    plain = client.post(f"/claims/{claim.pk}/comments/", {"body": "No JavaScript."})
    assert plain.status_code == 302 and plain["Location"].endswith(f"?claim={claim.pk}#panel")
