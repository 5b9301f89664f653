"""Re-anchoring claims on new revisions of their article, and re-attaching them by hand."""

import importlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from annotations import jobs, services
from annotations.models import Activity, Claim
from annotations.tasks import reanchor_article_task
from factcheck.celery import app as celery_app

from .conftest import make_user
from .factories import ARTICLE_TEXT, make_claim

pytestmark = pytest.mark.django_db

QUOTE = "among the top five arms exporters in the world"
DELETED = ARTICLE_TEXT.replace("Russia continues to be among the top five arms exporters in the world, ", "Russia ")


def new_revision(actor, article, text):
    revision, created = services.revision_add(actor=actor, article=article, text=text, origin="pasted")
    assert created
    return revision


def reanchored(claim, revision_id=None):
    services.reanchor_article(article_id=claim.article_id, revision_id=revision_id)
    claim.refresh_from_db()
    return claim


def test_unchanged_quote_stays_anchored_without_activity(editor, revision):
    claim = make_claim(revision, editor)
    newer = new_revision(editor, revision.article, ARTICLE_TEXT + "\n\nUpdated on Saturday.")
    claim = reanchored(claim, newer.pk)
    assert claim.anchor_revision == newer and claim.anchor_state == Claim.Anchoring.ANCHORED
    assert (claim.anchor_start, claim.anchor_end, claim.anchor_exact) == (claim.start, claim.end, QUOTE)
    assert claim.anchor_score is None
    assert not Activity.objects.filter(action="claim_reanchored").exists()


def test_text_inserted_before_moves_the_claim(editor, revision):
    claim = make_claim(revision, editor)
    newer = new_revision(editor, revision.article, "MOSCOW, May 12. " + ARTICLE_TEXT)
    claim = reanchored(claim)
    assert claim.anchor_state == Claim.Anchoring.MOVED
    assert claim.anchor_start == claim.start + len("MOSCOW, May 12. ")
    assert newer.text[claim.anchor_start : claim.anchor_end] == claim.anchor_exact == QUOTE
    # The original selectors are never rewritten.
    assert (claim.revision, claim.exact) == (revision, QUOTE)
    activity = Activity.objects.get(action="claim_reanchored", claim=claim)
    assert (activity.from_state, activity.to_state, activity.actor) == ("anchored", "moved", None)


def test_edited_word_changes_the_claim_and_stores_new_text_and_score(editor, revision):
    claim = make_claim(revision, editor)
    new_revision(editor, revision.article, ARTICLE_TEXT.replace("top five", "top three"))
    claim = reanchored(claim)
    assert claim.anchor_state == Claim.Anchoring.CHANGED
    assert claim.anchor_exact == "among the top three arms exporters in the world"
    assert 0.8 <= claim.anchor_score < 1
    assert claim.exact == QUOTE


def test_deleted_quote_is_orphaned_not_attached_to_a_look_alike(editor, revision):
    claim = make_claim(revision, editor)
    look_alike = " Analysts said France was among the top four arms exporters in the region."
    new_revision(editor, revision.article, DELETED + look_alike)
    claim = reanchored(claim)
    assert claim.anchor_state == Claim.Anchoring.ORPHANED
    assert (claim.anchor_start, claim.anchor_end, claim.anchor_exact, claim.anchor_score) == (None, None, "", None)
    assert Activity.objects.get(action="claim_reanchored", claim=claim).to_state == "orphaned"


def test_second_run_changes_nothing_and_records_nothing(editor, revision):
    claims = [make_claim(revision, editor), make_claim(revision, editor, "Putin underscored")]
    new_revision(editor, revision.article, "MOSCOW. " + ARTICLE_TEXT.replace("top five", "top three"))
    first = services.reanchor_article(article_id=revision.article_id)
    assert first.changed == 2 and first.states == {"changed": 1, "moved": 1}
    snapshot = list(Claim.objects.order_by("pk").values())
    activity_count = Activity.objects.count()

    second = services.reanchor_article(article_id=revision.article_id)
    assert second.changed == 0 and second.skipped == ""
    assert list(Claim.objects.order_by("pk").values()) == snapshot
    assert Activity.objects.count() == activity_count
    assert len(claims) == 2


def test_stale_revision_is_skipped_and_the_newest_wins(editor, revision):
    claim = make_claim(revision, editor)
    middle = new_revision(editor, revision.article, "A. " + ARTICLE_TEXT)
    newest = new_revision(editor, revision.article, "A. " + ARTICLE_TEXT.replace("top five", "top three"))
    result = services.reanchor_article(article_id=revision.article_id, revision_id=middle.pk)
    assert "no longer the newest" in result.skipped
    claim.refresh_from_db()
    assert claim.anchor_revision == revision  # untouched
    claim = reanchored(claim, newest.pk)
    assert (claim.anchor_revision, claim.anchor_state) == (newest, Claim.Anchoring.CHANGED)


def test_claims_follow_each_revision_from_their_latest_anchoring(editor, revision):
    claim = make_claim(revision, editor)
    new_revision(editor, revision.article, ARTICLE_TEXT.replace("top five", "top three"))
    assert reanchored(claim).anchor_state == Claim.Anchoring.CHANGED
    third = new_revision(editor, revision.article, "Intro. " + ARTICLE_TEXT.replace("top five", "top three"))
    claim = reanchored(claim)
    assert claim.anchor_state == Claim.Anchoring.CHANGED
    assert third.text[claim.anchor_start : claim.anchor_end] == "among the top three arms exporters in the world"
    # The quote restored: the claim is back in its original words (moved by the intro).
    new_revision(editor, revision.article, "Intro. " + ARTICLE_TEXT)
    claim = reanchored(claim)
    assert (claim.anchor_state, claim.anchor_exact, claim.anchor_score) == ("moved", QUOTE, None)


def test_orphaned_claim_comes_back_when_its_quote_returns(editor, revision):
    claim = make_claim(revision, editor)
    new_revision(editor, revision.article, DELETED)
    assert reanchored(claim).anchor_state == Claim.Anchoring.ORPHANED
    new_revision(editor, revision.article, ARTICLE_TEXT + " Corrected.")
    claim = reanchored(claim)
    assert (claim.anchor_state, claim.anchor_start) == (Claim.Anchoring.ANCHORED, claim.start)


def test_reanchoring_costs_the_same_queries_for_1_and_30_claims(editor):
    def article_with_claims(n, url):
        sentences = [f"Statement number {i} concerns topic {i * 7919 % 1000} in detail." for i in range(n)]
        result = services.article_import(actor=editor, title="T", text=" ".join(sentences), origin="pasted", url=url)
        for sentence in sentences:
            make_claim(result.revision, editor, sentence[:-1])
        new_revision(editor, result.article, "Breaking news. " + result.revision.text)
        return result.article

    def queries(article):
        with CaptureQueriesContext(connection) as captured:
            result = services.reanchor_article(article_id=article.pk)
        assert result.states == {"moved": Claim.objects.filter(article=article).count()}
        return len(captured)

    one, thirty = article_with_claims(1, "https://a.example/1"), article_with_claims(30, "https://a.example/30")
    assert queries(one) == queries(thirty)


@pytest.fixture
def eager_celery(monkeypatch):
    """Tasks run in the calling process (no broker): enough to follow the hook; real workers are tested elsewhere."""
    celery_app.loader.import_default_modules()  # every app's tasks, whichever tests ran before (matching's too)
    monkeypatch.setattr(jobs, "send", lambda name, *args, countdown=None: bool(celery_app.tasks[name].apply(args)))


def test_new_revision_enqueues_reanchoring_after_commit(
    editor, revision, django_capture_on_commit_callbacks, eager_celery
):
    claim = make_claim(revision, editor)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        newer = new_revision(editor, revision.article, "MOSCOW. " + ARTICLE_TEXT)
    assert len(callbacks) == 1
    claim.refresh_from_db()
    assert (claim.anchor_revision, claim.anchor_state) == (newer, Claim.Anchoring.MOVED)


def test_import_of_a_new_revision_enqueues_only_when_there_are_claims(editor, django_capture_on_commit_callbacks):
    url = "https://news.example/story"
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.article_import(actor=editor, title="Story", text=ARTICLE_TEXT, origin="pasted", url=url)
        services.article_import(actor=editor, title="Story", text="Other text.", origin="pasted", url=url)
    assert callbacks == []
    make_claim(first.revision, editor)
    with django_capture_on_commit_callbacks() as callbacks:
        second = services.article_import(
            actor=editor, title="Story", text="New. " + ARTICLE_TEXT, origin="fetched", url=url
        )
        services.article_import(actor=editor, title="Story", text="New. " + ARTICLE_TEXT, origin="fetched", url=url)
    assert len(callbacks) == 1
    assert callbacks[0].args == (jobs.REANCHOR_ARTICLE, first.article.pk, second.revision.pk)


def test_claim_made_on_an_older_revision_is_anchored_on_the_newest(
    editor, revision, django_capture_on_commit_callbacks, eager_celery
):
    newer = new_revision(editor, revision.article, "MOSCOW. " + ARTICLE_TEXT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        claim = make_claim(revision, editor)
    # The re-anchoring (beside it, the corpus's match of the new claim: matching.claim_signals).
    assert [c.args[0] for c in callbacks if not c.args[0].startswith("matching.")] == [jobs.REANCHOR_ARTICLE]
    claim.refresh_from_db()
    assert (claim.anchor_revision, claim.anchor_state) == (newer, Claim.Anchoring.MOVED)


def test_task_runs_the_service(editor, revision):
    claim = make_claim(revision, editor)
    newer = new_revision(editor, revision.article, "MOSCOW. " + ARTICLE_TEXT)
    assert reanchor_article_task(revision.article_id, newer.pk) == {
        "revision_id": newer.pk,
        "skipped": "",
        "changed": 1,
    }
    assert reanchor_article_task(revision.article_id, revision.pk)["skipped"]
    claim.refresh_from_db()
    assert claim.anchor_state == Claim.Anchoring.MOVED


# --- Re-attaching -------------------------------------------------------------------------------------------------

NEW_WORDING = "Russia ranks third among the world's arms exporters"


@pytest.fixture
def orphan(editor, revision):
    claim = make_claim(revision, editor)
    newest = new_revision(editor, revision.article, DELETED + " " + NEW_WORDING + ", SIPRI says.")
    return reanchored(claim), newest


def reattach_to_new_wording(editor, claim, newest) -> tuple[Claim, int]:
    """What an editor does on the review page: select NEW_WORDING in the newest text. Returns the claim, offset."""
    start = newest.text.index(NEW_WORDING)
    services.claim_reattach(
        actor=editor, claim=claim, revision=newest, start=start, end=start + len(NEW_WORDING), exact=NEW_WORDING
    )
    return Claim.objects.get(pk=claim.pk), start


def test_editor_reattaches_an_orphaned_claim(editor, orphan, client):
    newest = orphan[1]
    claim, start = reattach_to_new_wording(editor, *orphan)
    assert (claim.anchor_state, claim.anchor_revision, claim.anchor_exact) == ("anchored", newest, NEW_WORDING)
    assert (claim.anchor_start, claim.exact) == (start, QUOTE)
    activity = Activity.objects.get(action="claim_reattached")
    assert (activity.actor, activity.from_state, activity.to_state) == (editor, "orphaned", "anchored")
    client.force_login(editor)
    assert client.get(f"/api/claims/{claim.pk}/").json()["reattached_exact"] == NEW_WORDING
    # Later revisions follow the editor's selection, not the deleted original.
    later = new_revision(editor, claim.article, "Update. " + newest.text)
    claim = reanchored(claim)
    assert (claim.anchor_state, claim.anchor_exact) == ("moved", NEW_WORDING)
    assert later.text[claim.anchor_start : claim.anchor_end] == NEW_WORDING


def test_a_reattached_claim_keeps_following_the_editors_selection_through_edits(editor, orphan):
    newest = orphan[1]
    claim, _ = reattach_to_new_wording(editor, *orphan)
    edited = NEW_WORDING.replace("ranks third", "ranks 3rd")
    new_revision(editor, claim.article, newest.text.replace(NEW_WORDING, edited))
    claim = reanchored(claim)
    assert (claim.anchor_state, claim.anchor_exact) == ("changed", edited)
    # Edited again: still the editor's sentence that is looked for, not the original quote deleted two revisions ago.
    edited_again = edited.replace("Russia ranks", "Russia now ranks")
    later = new_revision(editor, claim.article, "Update. " + claim.anchor_revision.text.replace(edited, edited_again))
    claim = reanchored(claim)
    assert (claim.anchor_state, claim.anchor_exact) == ("changed", edited_again)
    assert later.text[claim.anchor_start : claim.anchor_end] == edited_again


def test_a_lost_reattached_claim_is_found_again_by_its_quote_and_context_not_by_a_look_alike(editor, orphan):
    newest = orphan[1]
    claim, _ = reattach_to_new_wording(editor, *orphan)
    without = newest.text.replace(" " + NEW_WORDING + ", SIPRI says.", "")
    new_revision(editor, claim.article, without)
    assert reanchored(claim).anchor_state == "orphaned"
    look_alike = "Sweden ranks third among the world's arms importers"
    new_revision(editor, claim.article, look_alike + ", analysts note. " + without)
    claim = reanchored(claim)
    assert claim.anchor_state == "orphaned"  # a similar sentence in another place is not the claim
    back = new_revision(editor, claim.article, "Update. " + newest.text)
    claim = reanchored(claim)
    assert (claim.anchor_state, claim.anchor_exact) == ("moved", NEW_WORDING)
    assert back.text[claim.anchor_start : claim.anchor_end] == NEW_WORDING


def test_claims_reattached_before_the_field_existed_are_recognised(editor, orphan, revision):
    from django.apps import apps

    migration = importlib.import_module("annotations.migrations.0005_claim_reattached_exact")
    newest = orphan[1]
    claim, start = reattach_to_new_wording(editor, *orphan)
    untouched = reanchored(make_claim(revision, editor, quote="Russia"))
    Claim.objects.update(reattached_exact="", reattached_prefix="", reattached_suffix="")  # before migration 0005
    migration.remember_reattachments(apps, None)
    importlib.import_module("annotations.migrations.0006_claim_reattached_context").remember_context(apps, None)
    claim = Claim.objects.get(pk=claim.pk)
    prefix, suffix = newest.text[start - 32 : start], newest.text[start + len(NEW_WORDING) :][:32]
    assert (claim.reattached_exact, claim.reattached_prefix, claim.reattached_suffix) == (NEW_WORDING, prefix, suffix)
    untouched = Claim.objects.get(pk=untouched.pk)
    assert (untouched.reattached_exact, untouched.reattached_prefix, untouched.reattached_suffix) == ("", "", "")


def test_reattach_refuses_a_mismatching_quote(editor, orphan):
    claim, newest = orphan
    start = newest.text.index(NEW_WORDING)
    with pytest.raises(ValidationError) as error:
        services.claim_reattach(
            actor=editor, claim=claim, revision=newest, start=start, end=start + 10, exact=NEW_WORDING
        )
    assert "exact" in error.value.message_dict
    claim.refresh_from_db()
    assert claim.anchor_state == Claim.Anchoring.ORPHANED and not Activity.objects.filter(action="claim_reattached")


def test_reattach_refuses_an_older_revision(editor, orphan, revision):
    claim, _ = orphan
    start = revision.text.index(QUOTE)
    with pytest.raises(ValidationError) as error:
        services.claim_reattach(
            actor=editor, claim=claim, revision=revision, start=start, end=start + len(QUOTE), exact=QUOTE
        )
    assert "revision" in error.value.message_dict


def test_users_without_a_role_cannot_reattach(orphan):
    claim, newest = orphan
    nobody = make_user("nobody", None)
    with pytest.raises(PermissionDenied):
        services.claim_reattach(actor=nobody, claim=claim, revision=newest, start=0, end=6, exact="Russia")


# --- The review page ------------------------------------------------------------------------------------------------


def test_page_shows_old_and_new_text_side_by_side(client, editor, revision):
    make_claim(revision, editor)
    make_claim(revision, editor, "The stock of orders for Russian military products is very serious")
    make_claim(revision, editor, "The interest is growing")  # moved by the deletion: listed
    make_claim(revision, editor, "Russia")  # still at offset 0: anchored, not listed
    new_revision(editor, revision.article, DELETED.replace("military products", "military goods"))
    services.reanchor_article(article_id=revision.article_id)
    client.force_login(editor)
    response = client.get(reverse("article_anchoring", args=[revision.article_id]))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<tr id="claim-') == 3
    assert f"<mark>{QUOTE}</mark>" in body and "Orphaned" in body and "not found" in body
    assert "<mark>The stock of orders for Russian military goods is very serious</mark>" in body
    assert "Changed" in body and "similarity 0.9" in body and "Moved" in body
    assert "<mark>Russia</mark>" not in body
    assert body.count('class="reattach-form"') == 2  # orphaned and changed, not moved
    assert 'id="reattach-text"' in body and "annotations/reattach.js" in body
    assert 'class="reattach-form"' in body


@pytest.mark.parametrize("role", [None, "anonymous"])
def test_page_is_refused_to_anonymous_and_roleless_users(client, revision, role):
    if role is None:
        client.force_login(make_user("nobody", None))
    url = reverse("article_anchoring", args=[revision.article_id])
    expected = 403 if role is None else 302  # visitors are sent to the login page first
    assert client.get(url).status_code == expected
    assert client.post(url, {"claim": 1}).status_code == expected


def test_reattach_form_converts_browser_offsets(client, editor):
    # An emoji before the selection takes two UTF-16 units but one Python index.
    text = "🚀 Launch news. " + ARTICLE_TEXT
    result = services.article_import(actor=editor, title="Emoji", text=text, origin="pasted")
    claim = make_claim(result.revision, editor)
    newest = new_revision(editor, result.article, "🚀 Launch news.\r\n" + NEW_WORDING + ". Putin said.")
    claim = reanchored(claim)
    assert claim.anchor_state == Claim.Anchoring.ORPHANED
    client.force_login(editor)
    url = reverse("article_anchoring", args=[result.article.pk])
    assert "&#13;" in client.get(url).content.decode()  # CR survives HTML parsing, so browser offsets stay true
    start = newest.text.index(NEW_WORDING) + 1  # UTF-16 offset
    form = {"claim": claim.pk, "revision": newest.pk, "selectors": browser_selectors(start, start + len(NEW_WORDING))}
    response = client.post(url, form, follow=True)
    # The message quotes the text the claim is now attached to (it once read "Claim re-attached to “”").
    assert escape(f"Claim re-attached to “{NEW_WORDING}”.") in response.content.decode()
    claim.refresh_from_db()
    assert (claim.anchor_state, claim.anchor_exact) == ("anchored", NEW_WORDING)
    assert claim.anchor_start == newest.text.index(NEW_WORDING)


def browser_selectors(start, end, exact=NEW_WORDING) -> str:
    return json.dumps(
        [{"type": "TextPositionSelector", "start": start, "end": end}, {"type": "TextQuoteSelector", "exact": exact}]
    )


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"selectors": "not json"}, "Select the claim"),
        ({"selectors": json.dumps([{"type": "TextPositionSelector", "start": "x", "end": 5}])}, "Select the claim"),
        ({"selectors": browser_selectors(0, 99999, "Russia")}, "do not fit the article text"),
        ({"selectors": browser_selectors(0, 6, "Ukraine")}, "does not match"),
        ({"selectors": browser_selectors(5, 5, "")}, "The selection is empty"),
        ({"claim": "99999999999999999999999", "selectors": browser_selectors(0, 6, "Russia")}, "does not belong"),
        ({"revision": "1x", "selectors": browser_selectors(0, 6, "Russia")}, "newer revision"),
    ],
)
def test_bad_reattach_input_gets_a_message_and_changes_nothing(client, editor, orphan, form, message):
    claim, newest = orphan
    client.force_login(editor)
    url = reverse("article_anchoring", args=[claim.article_id])
    response = client.post(url, {"claim": claim.pk, "revision": newest.pk, **form}, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    claim.refresh_from_db()
    assert claim.anchor_state == Claim.Anchoring.ORPHANED
    assert not Activity.objects.filter(action="claim_reattached").exists()


def test_a_selection_made_on_an_older_revision_is_refused_by_the_service(client, editor, orphan, revision):
    claim, _newest = orphan
    client.force_login(editor)
    url = reverse("article_anchoring", args=[claim.article_id])
    form = {"claim": claim.pk, "revision": revision.pk, "selectors": browser_selectors(0, 6, "Russia")}
    response = client.post(url, form, follow=True)
    assert "The article has a newer revision" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).anchor_state == Claim.Anchoring.ORPHANED


# --- In a real browser ----------------------------------------------------------------------------------------------


def logged_in_page(page, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    return page


def select_in_text(page, start: int, end: int):
    """Select UTF-16 offsets start:end of the newest text, as a user dragging the mouse would."""
    page.evaluate(
        """([start, end]) => {
            const node = document.getElementById("reattach-text").firstChild;
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, end);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [start, end],
    )


@pytest.mark.browser
def test_browser_reattaches_a_claim_to_the_selected_text(page, live_server, transactional_db):
    editor = make_user("ed", "Editors")
    result = services.article_import(actor=editor, title="Emoji", text=ARTICLE_TEXT, origin="pasted")
    claim = make_claim(result.revision, editor)
    newest = new_revision(editor, result.article, "🚀 Launch news.\r\nRussia said.\r\n" + NEW_WORDING + ".")
    claim = reanchored(claim)
    assert claim.anchor_state == Claim.Anchoring.ORPHANED
    page = logged_in_page(page, live_server, editor)
    page.goto(live_server.url + reverse("article_anchoring", args=[result.article.pk]))
    button = page.get_by_role("button", name="Re-attach to selection")

    button.click()  # nothing selected: the page says so and posts nothing
    assert "Select the claim's new text" in page.locator("#reattach-status").inner_text()
    claim.refresh_from_db()
    assert claim.anchor_state == Claim.Anchoring.ORPHANED

    # In the browser's string the emoji is two units and the CR LFs are still there.
    utf16_start = page.evaluate(
        "(quote) => document.getElementById('reattach-text').textContent.indexOf(quote)", NEW_WORDING
    )
    assert utf16_start == newest.text.index(NEW_WORDING) + 1
    select_in_text(page, utf16_start, utf16_start + len(NEW_WORDING))
    button.click()
    page.wait_for_selector("#reattach-message")  # in place (reattach.js): the message replaces nothing else
    assert "Claim re-attached" in page.locator("#reattach-message").inner_text()
    claim.refresh_from_db()
    assert (claim.anchor_state, claim.anchor_exact) == (Claim.Anchoring.ANCHORED, NEW_WORDING)
    assert claim.anchor_start == newest.text.index(NEW_WORDING)


@pytest.mark.browser
def test_browser_reattaches_a_selection_across_lines(page, live_server, transactional_db):
    editor = make_user("ed", "Editors")
    result = services.article_import(actor=editor, title="Lines", text=ARTICLE_TEXT, origin="pasted")
    claim = make_claim(result.revision, editor)
    newest = new_revision(editor, result.article, "Russia said.\r\n\r\nIt ranks third.\r\nSIPRI agrees.")
    assert reanchored(claim).anchor_state == Claim.Anchoring.ORPHANED
    page = logged_in_page(page, live_server, editor)
    page.goto(live_server.url + reverse("article_anchoring", args=[result.article.pk]))
    wanted = "It ranks third.\r\nSIPRI"
    start = newest.text.index(wanted)
    select_in_text(page, start, start + len(wanted))
    page.get_by_role("button", name="Re-attach to selection").click()
    page.wait_for_selector("#reattach-message")
    claim.refresh_from_db()
    assert (claim.anchor_state, claim.anchor_exact, claim.anchor_start) == ("anchored", wanted, start)
