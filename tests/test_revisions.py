"""Revisions made in the app: the service (roles, texts refused, conflicts, re-anchoring in the same request), the
revision editor, the revisions list, a revision's text and the diff pages, and the reader's first render after one."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from annotations import jobs, services
from annotations.models import Activity, ArticleRevision, Capture, Claim
from annotations.services import reanchoring

from .conftest import make_user
from .factories import ARTICLE_TEXT, RevisionFactory, make_claim

pytestmark = pytest.mark.django_db

MOVED_TEXT = "MOSCOW, 16 May. " + ARTICLE_TEXT
HOSTILE = '<script>alert("x")</script> & <b onmouseover="alert(1)">bold</b>'


def edit(actor, revision, text, base=None):
    return services.revision_edit(
        actor=actor, article=revision.article, text=text, base_revision_id=base or revision.pk
    )


def field_errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- The service --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["Editors", "Reviewers", "Admins"])
def test_editors_and_above_add_a_revision(revision, role):
    user = make_user("someone", role)
    result = edit(user, revision, MOVED_TEXT)
    assert (result.revision.number, result.revision.origin) == (2, ArticleRevision.Origin.EDITED)
    assert result.revision.created_by == user and result.revision.text == MOVED_TEXT
    assert Activity.objects.filter(action="revision_added", article=revision.article, to_state="r2").count() == 1


@pytest.mark.parametrize("role", [None])
def test_users_without_a_role_cannot_add_a_revision_or_refetch(revision, role):
    nobody = make_user("nobody", role)
    with pytest.raises(PermissionDenied):
        edit(nobody, revision, MOVED_TEXT)
    with pytest.raises(PermissionDenied):
        services.article_refetch(actor=nobody, article=revision.article)
    assert revision.article.revisions.count() == 1 and not Capture.objects.exists()


def test_an_article_pasted_without_a_url_gets_new_revisions(editor):
    pasted = services.article_import(actor=editor, title="Pasted story", text=ARTICLE_TEXT, origin="pasted")
    assert pasted.article.url is None
    first = services.revision_edit(
        actor=editor, article=pasted.article, text=MOVED_TEXT, base_revision_id=pasted.revision.pk
    )
    second = services.revision_edit(
        actor=editor, article=pasted.article, text=MOVED_TEXT + "\n\nUpdated.", base_revision_id=first.revision.pk
    )
    assert [r.number for r in pasted.article.revisions.all()] == [1, 2, 3] and second.revision.number == 3


def test_the_current_text_again_gives_no_revision_and_says_so(editor, revision):
    with pytest.raises(ValidationError) as excinfo:
        edit(editor, revision, revision.text)
    assert "nothing changed" in field_errors(excinfo)["text"][0]
    assert revision.article.revisions.count() == 1


def test_an_older_revisions_text_is_refused_naming_the_field(editor, revision):
    second = edit(editor, revision, MOVED_TEXT).revision
    with pytest.raises(ValidationError) as excinfo:
        edit(editor, revision, ARTICLE_TEXT, base=second.pk)
    assert "same as revision 1" in field_errors(excinfo)["text"][0]
    assert revision.article.revisions.count() == 2


@pytest.mark.parametrize(
    "text, message",
    [("", "empty"), ("  \n\t ", "empty"), ("Binary\x00file", "NUL"), ("x" * 2_000_001, "at most 2,000,000")],
)
def test_bad_text_is_refused_naming_the_field_and_changes_nothing(editor, revision, text, message):
    with pytest.raises(ValidationError) as excinfo:
        edit(editor, revision, text)
    assert message in field_errors(excinfo)["text"][0]
    assert revision.article.revisions.count() == 1


def test_a_revision_added_while_editing_is_a_conflict_not_overwritten(editor, editor2, revision):
    theirs = edit(editor2, revision, MOVED_TEXT).revision
    with pytest.raises(services.Conflict) as excinfo:
        edit(editor, revision, ARTICLE_TEXT + " Mine.", base=revision.pk)
    assert "Revision 2 was added while you were editing" in str(excinfo.value)
    assert excinfo.value.current_version == theirs.pk
    assert revision.article.revisions.count() == 2
    assert edit(editor, revision, ARTICLE_TEXT + " Mine.", base=theirs.pk).revision.number == 3


def test_claims_are_reanchored_in_the_same_request_without_a_task(
    editor, revision, django_capture_on_commit_callbacks
):
    claim = make_claim(revision, editor)
    gone = make_claim(revision, editor, "The interest is growing.")
    with django_capture_on_commit_callbacks() as callbacks:
        result = edit(editor, revision, MOVED_TEXT.replace("The interest is growing.", ""))
    assert callbacks == []  # nothing left for a worker
    assert result.reanchored.states == {"moved": 1, "orphaned": 1}
    claim.refresh_from_db()
    gone.refresh_from_db()
    assert (claim.anchor_revision, claim.anchor_state) == (result.revision, Claim.Anchoring.MOVED)
    assert MOVED_TEXT[claim.anchor_start : claim.anchor_end] == claim.exact
    assert (gone.anchor_revision, gone.anchor_state) == (result.revision, Claim.Anchoring.ORPHANED)


def test_a_large_article_is_reanchored_by_a_worker_after_commit(
    editor, revision, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(reanchoring, "INLINE_BUDGET", len(MOVED_TEXT) - 1)  # one claim is already too much
    claim = make_claim(revision, editor)
    with django_capture_on_commit_callbacks() as callbacks:
        result = edit(editor, revision, MOVED_TEXT)
    assert result.reanchored is None
    assert [c.args for c in callbacks] == [(jobs.REANCHOR_ARTICLE, revision.article_id, result.revision.pk)]
    claim.refresh_from_db()
    assert claim.anchor_revision == revision  # until the worker runs


def test_refetch_needs_a_url(editor):
    pasted = services.article_import(actor=editor, title="Pasted story", text=ARTICLE_TEXT, origin="pasted")
    with pytest.raises(ValidationError) as excinfo:
        services.article_refetch(actor=editor, article=pasted.article)
    assert "no URL" in field_errors(excinfo)["url"][0]
    assert not Capture.objects.exists()


def test_refetch_fetches_again_even_when_a_recent_capture_exists(editor, revision, django_capture_on_commit_callbacks):
    from django.utils import timezone

    url = revision.article.url
    recent = Capture.objects.create(
        url=url, status=Capture.Status.DONE, finished_at=timezone.now(), text="Old.", sha256="0" * 64
    )
    with django_capture_on_commit_callbacks() as callbacks:
        capture = services.article_refetch(actor=editor, article=revision.article)
    assert capture.pk != recent.pk and capture.status == Capture.Status.PENDING
    assert capture.import_requested_by == editor and capture.url == url
    assert len(callbacks) == 1  # the fetch, once committed
    assert revision.article.revisions.count() == 1  # the worker adds the revision, if the text changed


# --- The revision editor ------------------------------------------------------------------------------------------


def test_reader_header_links_to_the_revisions_and_the_editor(client, editor, revision):
    client.force_login(editor)
    html = client.get(reverse("reader", args=[revision.article_id])).content.decode()
    assert f'href="{reverse("article_revisions", args=[revision.article_id])}"' in html and "revision 1 of 1" in html
    assert f'href="{reverse("revision_new", args=[revision.article_id])}" id="new-revision"' in html


def test_editor_page_is_prefilled_with_the_current_text_escaped(client, editor, revision):
    hostile = edit(editor, revision, HOSTILE).revision
    client.force_login(editor)
    response = client.get(reverse("revision_new", args=[revision.article_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html and "<script>alert" not in html
    assert f'name="base" value="{hostile.pk}"' in html
    assert "Re-fetch from the URL" in html and "Save as revision 3" in html


def test_editor_page_of_an_article_without_url_offers_no_refetch(client, editor):
    pasted = services.article_import(actor=editor, title="Pasted story", text=ARTICLE_TEXT, origin="pasted")
    client.force_login(editor)
    html = client.get(reverse("revision_new", args=[pasted.article.pk])).content.decode()
    assert "Re-fetch from the URL" not in html and "Save as revision 2" in html
    response = client.post(reverse("revision_fetch", args=[pasted.article.pk]), follow=True)
    assert "This article has no URL to fetch" in response.content.decode()


def test_editor_page_is_refused_to_users_without_a_role(client, revision):
    client.force_login(make_user("nobody", None))
    assert client.get(reverse("revision_new", args=[revision.article_id])).status_code == 403
    response = client.post(reverse("revision_new", args=[revision.article_id]), {"text": "X", "base": revision.pk})
    assert response.status_code == 403 and revision.article.revisions.count() == 1


def post_revision(client, revision, text, base=None):
    return client.post(
        reverse("revision_new", args=[revision.article_id]), {"text": text, "base": base or revision.pk}
    )


def test_saving_the_editor_adds_the_revision_and_the_first_render_is_right(client, editor, revision):
    claim = make_claim(revision, editor)
    client.force_login(editor)
    client.get(reverse("reader", args=[revision.article_id]))  # the reader's page is now in this worker's cache
    response = post_revision(client, revision, MOVED_TEXT.replace("\n", "\r\n"))  # as a browser submits it
    assert response.status_code == 302 and response["Location"] == reverse("reader", args=[revision.article_id])
    newest = revision.article.revisions.get(number=2)
    assert newest.text == MOVED_TEXT  # plain newlines again, as stored before
    html = client.get(response["Location"]).content.decode()
    assert "Saved revision 2. Claims re-attached: 1 moved." in html
    assert "revision 2 of 2" in html and 'Claims <span class="muted">(1)</span>' in html
    assert f'data-claims="{claim.pk}">{claim.exact}</span>' in html  # highlighted on the new text
    assert "Not found in this revision" not in html and "Re-attaching" not in html


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"text": "", "base": "1"}, "text", "Paste or edit the article text."),
        ({"text": "New text.", "base": "abc"}, "base", "Enter a whole number."),
        ({"text": "New text."}, "base", "This field is required."),
    ],
)
def test_bad_input_gets_a_form_error_naming_the_field(client, editor, revision, data, field, message):
    client.force_login(editor)
    data = {**data, "base": str(revision.pk) if data.get("base") == "1" else data.get("base", "")}
    if not data["base"] and field != "base":
        data["base"] = str(revision.pk)
    response = client.post(reverse("revision_new", args=[revision.article_id]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    if field == "base":
        assert "base: " in html
    else:
        assert 'class="field has-error"' in html and "Article text" in html
    assert revision.article.revisions.count() == 1


def test_a_nul_character_in_the_text_is_refused_naming_the_field(client, editor, revision):
    client.force_login(editor)
    response = post_revision(client, revision, "Binary\x00file")
    assert response.status_code == 400  # the middleware every form goes through (annotations/storable_text.py)
    assert "text" in response.content.decode() and "NUL character" in response.content.decode()
    assert revision.article.revisions.count() == 1


def test_the_unchanged_text_gets_a_message_on_the_field(client, editor, revision):
    client.force_login(editor)
    response = post_revision(client, revision, revision.text.replace("\n", "\r\n"))
    html = response.content.decode()
    assert response.status_code == 400 and "nothing changed, so no new revision" in html
    assert revision.article.revisions.count() == 1


def test_a_conflict_keeps_the_editors_text_and_a_second_save_goes_through(client, editor, editor2, revision):
    theirs = edit(editor2, revision, MOVED_TEXT).revision
    client.force_login(editor)
    response = post_revision(client, revision, ARTICLE_TEXT + " My addition.")
    html = response.content.decode()
    assert response.status_code == 409
    assert "Revision 2 was added while you were editing" in html and "My addition." in html
    assert f'name="base" value="{theirs.pk}"' in html
    assert post_revision(client, revision, ARTICLE_TEXT + " My addition.", base=theirs.pk).status_code == 302
    assert revision.article.revisions.count() == 3


def test_refetch_button_starts_a_capture_and_shows_it(client, editor, revision):
    client.force_login(editor)
    response = client.post(reverse("revision_fetch", args=[revision.article_id]))
    capture = Capture.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("capture_detail", args=[capture.pk])
    assert capture.url == revision.article.url and capture.import_requested_by == editor
    listing = client.get(reverse("article_revisions", args=[revision.article_id])).content.decode()
    assert f"capture {capture.pk}" in listing and "asked by ed" in listing


def test_refetch_is_post_only(client, editor, revision):
    client.force_login(editor)
    assert client.get(reverse("revision_fetch", args=[revision.article_id])).status_code == 405


# --- The first render while a worker re-anchors -----------------------------------------------------------------


def test_claims_waiting_for_the_worker_show_as_reattaching_not_lost(client, editor, revision, monkeypatch):
    monkeypatch.setattr(reanchoring, "INLINE_BUDGET", 0)
    claim = make_claim(revision, editor)
    client.force_login(editor)
    response = post_revision(client, revision, MOVED_TEXT)
    html = client.get(response["Location"]).content.decode()
    assert "Its claims are being re-attached" in html
    assert "Re-attaching to revision 2…" in html and "Re-attaching…" in html
    assert "(0 + 1 re-attaching)" in html  # not "Claims (0)"
    assert "Not found in this revision" not in html and "Anchored" not in html
    assert "No claims yet" not in html
    assert "annotations/reanchor_wait" in html  # the script that shows the page again once they are done
    status = reverse("anchoring_status", args=[revision.article_id])
    assert client.get(status).json() == {"revision": 2, "pending": 1}

    services.reanchor_article(article_id=revision.article_id)  # what the worker does
    assert client.get(status).json() == {"revision": 2, "pending": 0}
    html = client.get(reverse("reader", args=[revision.article_id])).content.decode()
    assert "Re-attaching" not in html and "reanchor_wait" not in html
    claim.refresh_from_db()
    assert claim.anchor_state == Claim.Anchoring.MOVED


def test_a_claim_really_not_found_is_still_listed_as_not_found(client, editor, revision):
    make_claim(revision, editor, "The interest is growing.")
    client.force_login(editor)
    post_revision(client, revision, ARTICLE_TEXT.replace("The interest is growing.", ""))
    html = client.get(reverse("reader", args=[revision.article_id])).content.decode()
    assert "Not found in this revision" in html and "Orphaned" in html and "Re-attaching" not in html


def test_anchoring_status_needs_a_role_and_an_article(client, editor, revision):
    status = reverse("anchoring_status", args=[revision.article_id])
    client.force_login(make_user("nobody", None))
    assert client.get(status).status_code == 403
    client.force_login(editor)
    assert client.get(reverse("anchoring_status", args=[987654])).status_code == 404


# --- Revisions list, a revision's text, diffs -------------------------------------------------------------------


def article_with_revisions(editor, count: int):
    first = RevisionFactory(text=ARTICLE_TEXT + " r1.")
    base = first
    for n in range(2, count + 1):
        base = edit(editor, first, ARTICLE_TEXT + f" r{n}.", base=base.pk).revision
    return first.article


def test_revisions_list_shows_each_with_its_date_and_how_it_was_made(client, editor):
    article = article_with_revisions(editor, 3)
    client.force_login(editor)
    html = client.get(reverse("article_revisions", args=[article.pk])).content.decode()
    for number in (1, 2, 3):
        assert f'href="{reverse("revision_text", args=[article.pk, number])}"' in html
    assert "Pasted" in html and "Edited by ed" in html and "<time datetime=" in html
    assert f'href="{reverse("revision_diff", args=[article.pk, 2, 3])}"' in html


def queries_of(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_revisions_list_costs_the_same_queries_for_2_and_8_revisions(client, editor, django_assert_max_num_queries):
    few, many = article_with_revisions(editor, 2), article_with_revisions(editor, 8)
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("article_revisions", args=[many.pk])).status_code == 200
    assert queries_of(client, reverse("article_revisions", args=[few.pk])) == queries_of(
        client, reverse("article_revisions", args=[many.pk])
    )


def test_compare_form_redirects_to_the_diff_and_bad_numbers_name_the_field(client, editor):
    article = article_with_revisions(editor, 3)
    client.force_login(editor)
    url = reverse("article_revisions", args=[article.pk])
    response = client.get(url, {"from": "1", "to": "3"})
    assert response.status_code == 302 and response["Location"] == reverse("revision_diff", args=[article.pk, 1, 3])
    response = client.get(url, {"from": "99", "to": "x"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice. 99 is not one of the available choices." in html
    assert "Select a valid choice. x is not one of the available choices." in html


def test_diff_marks_insertions_and_deletions_and_escapes_hostile_text(client, editor, revision):
    edit(editor, revision, ARTICLE_TEXT.replace("top five", "top " + HOSTILE))
    client.force_login(editor)
    response = client.get(reverse("revision_diff", args=[revision.article_id, 1, 2]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<del>five</del>" in html
    assert "<ins>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<b onmouseover" not in html
    assert "1 word removed" in html


def test_diff_pages_answer_404_for_unknown_revisions_and_need_a_role(client, editor, revision):
    client.force_login(editor)
    assert client.get(reverse("revision_diff", args=[revision.article_id, 1, 7])).status_code == 404
    assert client.get(reverse("revision_text", args=[revision.article_id, 7])).status_code == 404
    assert client.get(reverse("revision_diff", args=[987654, 1, 2])).status_code == 404
    client.force_login(make_user("nobody", None))
    assert client.get(reverse("revision_diff", args=[revision.article_id, 1, 1])).status_code == 403


def test_diff_page_queries_do_not_grow_with_the_text(client, editor, revision, django_assert_max_num_queries):
    edit(editor, revision, ARTICLE_TEXT + " Short.")
    long = article_with_revisions(editor, 1)
    edit(editor, long.revisions.get(), ARTICLE_TEXT + "\n\n" + "More words here. " * 2000)
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("revision_diff", args=[long.pk, 1, 2])).status_code == 200
    short_diff = queries_of(client, reverse("revision_diff", args=[revision.article_id, 1, 2]))
    assert short_diff == queries_of(client, reverse("revision_diff", args=[long.pk, 1, 2]))


def test_a_revisions_text_page_escapes_it_and_links_its_neighbours(client, editor, revision):
    edit(editor, revision, HOSTILE)
    client.force_login(editor)
    html = client.get(reverse("revision_text", args=[revision.article_id, 2])).content.decode()
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert "Revision 2 of 2" in html and "the current revision" in html
    assert f'href="{reverse("revision_diff", args=[revision.article_id, 1, 2])}"' in html
