"""Finding one's way: nav counts, where a sign-in lands, a history that reads, the API docs, the current reviewer."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annotations import services
from annotations.context_processors import nav_counts
from annotations.models import Notification, Verdict
from annotations.templatetags.factcheck import state_label, when

from .conftest import make_user
from .factories import ArticleFactory, RevisionFactory, add_evidence, make_claim

pytestmark = pytest.mark.django_db


def verdict_in(state: str, author, reviewer, rating, *, withdrawn: bool = False) -> Verdict:
    """A verdict on a claim of its own article, moved through the services to `state`."""
    revision = RevisionFactory(article=ArticleFactory())
    claim = make_claim(revision, author)
    add_evidence(claim, author)
    verdict = services.verdict_save(actor=author, claim=claim, rating=rating, explanation="Per SIPRI's data.")
    if state == "draft":
        return verdict
    verdict = services.verdict_submit(actor=author, verdict=verdict)
    if state == "changes_requested":
        verdict = services.verdict_request_changes(actor=reviewer, verdict=verdict, comment="Cite the table.")
    elif state in ("approved", "published"):
        verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
        if state == "published":
            verdict = services.verdict_publish(actor=reviewer, verdict=verdict)
    if withdrawn:
        services.claim_withdraw(actor=reviewer, claim=claim, reason="A duplicate.")
    return verdict


@pytest.fixture
def desk(editor, editor2, reviewer, rating):
    """Two in review, one approved, two sent back (one to each editor), one published, one draft, one withdrawn."""
    for state, author in [
        ("in_review", editor),
        ("in_review", editor2),
        ("approved", editor),
        ("changes_requested", editor),
        ("changes_requested", editor2),
        ("published", editor),
        ("draft", editor),
    ]:
        verdict_in(state, author, reviewer, rating)
    verdict_in("in_review", editor, reviewer, rating, withdrawn=True)  # out of the queue, so out of the count
    changed = Notification.Kind.ARTICLE_CHANGED
    Notification.objects.create(recipient=editor, kind=changed, event_key="a", message="The article changed.")
    Notification.objects.create(recipient=editor, kind=changed, event_key="b", message="Read.", read_at=timezone.now())
    return {"editor": editor, "editor2": editor2, "reviewer": reviewer}


def test_nav_counts_take_one_query(desk, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = nav_counts(desk["editor"])
    assert counts == {
        "in_review": 2,
        "approved": 1,
        "sent_back": 1,
        "unread_notifications": 5,
    }  # approved x2, published, sent back, the article changed
    with django_assert_num_queries(1):
        assert nav_counts(desk["reviewer"]) == {
            "in_review": 2,
            "approved": 1,
            "sent_back": 0,
            "unread_notifications": 0,
        }


def nav(body: str) -> str:
    return re.search(r'<nav class="nav">(.*?)</nav>', body, re.S).group(1)


def test_reviewers_see_the_queue_and_what_waits_to_be_published(client, desk):
    client.force_login(desk["reviewer"])
    links = nav(client.get(reverse("article_list")).content.decode())
    assert re.search(r'id="queue-link">Review queue <span class="count"[^>]*>2</span>', links)
    assert re.search(r'href="/review/\?state=approved" id="to-publish-link">To publish <span[^>]*>1</span>', links)
    assert "sent back" not in links  # nothing of theirs was sent back


def test_one_query_counts_everything_the_nav_shows(client, desk):
    """Notifications included: a page pays one query for all the nav's counts."""
    client.force_login(desk["editor"])
    with CaptureQueriesContext(connection) as captured:
        body = client.get(reverse("article_list")).content.decode()
    table = "annotations_notification"
    counting = [q["sql"] for q in captured if "COUNT(*)" in q["sql"] and table in q["sql"]]
    assert len(counting) == 1 and "annotations_verdict" in counting[0]
    assert not any(table in q["sql"] for q in captured if q["sql"] != counting[0])
    assert re.search(r'id="inbox-link">Inbox <span class="count"[^>]*>5</span>', nav(body))


def test_editors_see_what_was_sent_back_to_them(client, desk):
    client.force_login(desk["editor2"])
    links = nav(client.get(reverse("article_list")).content.decode())
    assert re.search(r'id="my-verdicts-link">My verdicts <span class="count"[^>]*>1 sent back</span>', links)
    assert "Review queue" not in links and "To publish" not in links


def test_nav_costs_the_same_whatever_the_number_of_verdicts(client, editor, reviewer, rating):
    client.force_login(editor)
    url = reverse("my_verdicts")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    verdict_in("changes_requested", editor, reviewer, rating)
    few = queries()
    for state in ("in_review", "approved", "changes_requested", "changes_requested"):
        verdict_in(state, editor, reviewer, rating)
    assert queries() == few
    assert ">3 sent back</span>" in client.get(url).content.decode()


def login(client, username: str, next_url: str | None = None):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": "pw-" + username})


def test_reviewers_land_on_the_review_queue_and_editors_on_the_articles(client, editor, reviewer):
    assert login(client, reviewer.username)["Location"] == reverse("review_queue")
    client.logout()
    assert login(client, editor.username)["Location"] == reverse("home")
    assert client.get(reverse("home")).templates[0].name == "annotations/article_list.html"


def test_the_nav_login_link_from_home_still_lands_by_role_but_other_pages_come_back(client, reviewer, revision):
    # base.html's "Log in" link carries ?next= the current page.
    assert login(client, reviewer.username, "/")["Location"] == reverse("review_queue")
    client.logout()
    reader = reverse("reader", args=[revision.article_id])
    assert login(client, reviewer.username, reader)["Location"] == reader
    client.logout()
    assert login(client, reviewer.username, "https://evil.example/")["Location"] == reverse("review_queue")


def test_state_names_read_as_words():
    assert state_label("in_review") == "In review"
    assert state_label("changes_requested") == "Changes requested"
    assert state_label("orphaned") == "Orphaned"
    assert state_label("withdrawn") == "Withdrawn"
    assert state_label("r2") == "r2" and state_label("some_role") == "some role" and state_label("") == ""


def test_times_read_as_just_now_then_relative_then_a_date():
    now = timezone.now()
    assert when(now) == "just now"
    assert when(now - timedelta(seconds=59)) == "just now"
    assert when(now - timedelta(minutes=5, seconds=10)) == "5\xa0minutes ago"
    assert when(now - timedelta(days=2, hours=3)) == "2\xa0days ago"
    old = now - timedelta(days=40)
    assert when(old) == f"{timezone.localtime(old).day} {timezone.localtime(old):%b %Y}"
    assert when(None) == ""


def panel(client, verdict) -> str:
    claim = verdict.claim
    return client.get(f"{reverse('reader', args=[claim.article_id])}?claim={claim.pk}").content.decode()


def history(body: str) -> str:
    return re.search(r'<ol class="activity small">(.*?)</ol>', body, re.S).group(1)


def test_history_shows_readable_states_and_just_now(client, editor, reviewer, rating):
    verdict = verdict_in("changes_requested", editor, reviewer, rating)
    client.force_login(editor)
    entries = history(panel(client, verdict))
    assert "In review → Changes requested" in entries
    assert "Draft → In review" in entries
    assert "in_review" not in entries and "changes_requested" not in entries and "·" not in entries
    assert "just now" in entries and "0\xa0minutes" not in entries


def test_review_queue_says_just_now_not_zero_minutes_ago(client, editor, reviewer, rating):
    verdict_in("in_review", editor, reviewer, rating)
    client.force_login(reviewer)
    body = client.get(reverse("review_queue")).content.decode()
    assert ">just now</time>" in body and "0\xa0minutes ago" not in body


def test_api_docs_are_linked_in_the_footer_for_everyone(client, editor):
    for who in (None, editor):
        if who:
            client.force_login(who)
        body = client.get(reverse("home")).content.decode()
        footer = re.search(r'<footer class="site-footer[^"]*">(.*?)</footer>', body, re.S).group(1)
        assert f'href="{reverse("api:docs")}">API docs</a>' in footer
        assert f'href="{reverse("api:schema")}"' in footer
    assert client.get(reverse("api:docs")).status_code == 200


def test_a_resubmitted_verdict_no_longer_names_the_reviewer_who_sent_it_back(
    client, editor, reviewer, reviewer2, rating
):
    verdict = verdict_in("changes_requested", editor, reviewer, rating)
    client.force_login(editor)
    assert f"reviewed by {reviewer.username}" in panel(client, verdict)  # who sent it back, while it is back

    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    verdict.refresh_from_db()
    assert (verdict.reviewer, verdict.reviewed_at, verdict.review_comment) == (None, None, "")
    body = panel(client, verdict)
    assert "reviewed by" not in body
    assert "Cite the table." in history(body)  # the history keeps what the first reviewer said

    services.verdict_approve(actor=reviewer2, verdict=verdict)
    assert f"reviewed by {reviewer2.username}" in panel(client, verdict)
    assert Verdict.objects.get(pk=verdict.pk).reviewer == reviewer2


def test_roleless_users_get_no_counts_and_no_error(client):
    client.force_login(make_user("nobody", None))
    response = client.get(reverse("published_factchecks"))
    assert response.status_code == 200 and "sent back" not in response.content.decode()


def test_a_verdict_resubmitted_before_the_fix_does_not_name_its_old_reviewer_either(client, editor, reviewer, rating):
    """Rows written before submit cleared the reviewer still hold one while in review: the panel names nobody."""
    verdict = verdict_in("changes_requested", editor, reviewer, rating)
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    Verdict.objects.filter(pk=verdict.pk).update(reviewer=reviewer, reviewed_at=timezone.now())  # the old way
    client.force_login(editor)
    assert "reviewed by" not in panel(client, verdict)


def test_the_nav_counts_are_the_review_queues_tab_counts(client, desk):
    """The nav counts in raw SQL (context_processors); the queue with the ORM (views/review.py): the same rule."""
    client.force_login(desk["reviewer"])
    queue = {value: count for value, _label, count in client.get(reverse("review_queue")).context["tabs"]}
    counts = nav_counts(desk["reviewer"])
    assert (queue["in_review"], queue["approved"]) == (counts["in_review"], counts["approved"]) == (2, 1)
