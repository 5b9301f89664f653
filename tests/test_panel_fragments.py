"""The reader's panel actions answering panel.js (X-Requested-With: fetch) with the panel as JSON instead of a
redirect; refused forms with their errors and what was typed; the evidence status that panel.js polls; the warning
about a claim overlapping another."""

import pytest
from django.test import Client
from django.utils import timezone

from annotations import services
from annotations.models import Capture, Claim, Evidence, Verdict
from tests.conftest import make_user
from tests.factories import add_evidence, make_claim
from tests.test_views import selectors

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def claim(editor, revision):
    return make_claim(revision, editor)


def test_evidence_added_in_place_answers_with_the_panel_and_its_message(client, editor, claim):
    client.force_login(editor)
    response = client.post(
        f"/claims/{claim.pk}/evidence/", {"url": "https://www.sipri.org/fs", "stance": "supports"}, **FETCH
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["message"] == "Evidence added." and data["level"] == "success"
    assert data["where"] == "evidence-form" and data["url"] == f"?claim={claim.pk}"
    assert "https://www.sipri.org/fs" in data["panel"] and 'id="evidence-form"' in data["panel"]
    assert "X-Requested-With" in response["Vary"] and "no-store" in response["Cache-Control"]
    assert Evidence.objects.filter(claim=claim).count() == 1
    # The message was given in the panel: it is not kept for the next page as well.
    assert "Evidence added." not in client.get(f"/articles/{claim.article_id}/?claim={claim.pk}").content.decode()


def test_without_the_header_the_same_post_still_redirects_with_the_message(client, editor, claim):
    client.force_login(editor)
    response = client.post(f"/claims/{claim.pk}/evidence/", {"url": "https://www.sipri.org/fs", "stance": "supports"})
    assert response.status_code == 302 and response["Location"].endswith(f"?claim={claim.pk}#panel")
    assert "Evidence added." in client.get(response["Location"]).content.decode()


def test_a_refused_form_comes_back_with_its_errors_and_what_was_typed(client, editor, claim):
    client.force_login(editor)
    too_long = "A statement far longer than the seventy-five characters that a short statement may have."
    response = client.post(f"/claims/{claim.pk}/edit/", {"claimant": "Putin", "claim_reviewed": too_long}, **FETCH)
    assert response.status_code == 400
    data = response.json()
    assert data["level"] == "error" and data["message"].startswith("Not saved")
    assert 'class="errorlist' in data["panel"] and too_long in data["panel"]
    claim.refresh_from_db()
    assert claim.claim_reviewed != too_long


def test_a_verdict_saved_meanwhile_is_a_conflict_that_keeps_the_text(client, editor, editor2, claim, rating):
    read = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="A draft.")
    services.verdict_save(actor=editor2, claim=claim, rating=rating, explanation="Saved first.", version=read.version)
    client.force_login(editor)
    response = client.post(
        f"/claims/{claim.pk}/verdict/",
        {"rating": rating.pk, "explanation": "My own reasoning.", "version": read.version},
        **FETCH,
    )
    assert response.status_code == 409
    data = response.json()
    assert data["level"] == "error" and "My own reasoning." in data["panel"]
    assert Verdict.objects.get(claim=claim).explanation == "Saved first."


def test_the_article_text_comes_only_when_its_highlights_changed(client, editor, claim, rating):
    client.force_login(editor)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Because.")
    page = client.get(f"/articles/{claim.article_id}/?claim={claim.pk}").content.decode()
    key = page.split('data-highlights="', 1)[1].split('"', 1)[0]
    same = client.post(
        f"/claims/{claim.pk}/verdict/",
        {"rating": rating.pk, "explanation": "Because, again.", "version": verdict.version},
        HTTP_X_HIGHLIGHTS=key,
        **FETCH,
    ).json()
    assert "article" not in same and same["highlights"] == key
    verdict.refresh_from_db()
    submitted = client.post(
        f"/verdicts/{verdict.pk}/submit/", {"version": verdict.version}, HTTP_X_HIGHLIGHTS=key, **FETCH
    ).json()
    assert submitted["message"] == "Submitted for review." and submitted["where"] == "verdict-heading"
    assert "hl status-in_review" in submitted["article"] and submitted["highlights"] != key


def test_a_new_claim_in_place_opens_its_panel_and_draws_its_highlight(client, editor, revision):
    client.force_login(editor)
    response = client.post(
        f"/articles/{revision.article_id}/claims/",
        {"revision": revision.pk, "selectors": selectors(revision.text, "Vladimir Putin"), "claimant": "TASS"},
        **FETCH,
    )
    assert response.status_code == 200
    claim = Claim.objects.get()
    data = response.json()
    assert data["url"] == f"?claim={claim.pk}" and data["where"] == "claim-head"
    assert f'id="claim-{claim.pk}"' in data["panel"]
    assert f'data-claims="{claim.pk}"' in data["article"] and "selected" in data["article"]


def test_panel_posts_still_need_the_csrf_token(editor, claim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(
        f"/claims/{claim.pk}/evidence/", {"url": "https://a.example/", "stance": "supports"}, **FETCH
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_role_checks_are_unchanged_for_panel_requests(client, editor, reviewer, claim, rating):
    roleless = make_user("nobody", None)
    client.force_login(roleless)
    response = client.post(
        f"/claims/{claim.pk}/evidence/", {"url": "https://a.example/", "stance": "supports"}, **FETCH
    )
    assert response.status_code == 403 and not response["Content-Type"].startswith("application/json")
    # The two-person rule: a reviewer who wrote the verdict is refused as without JavaScript, nothing approved.
    own = make_claim(claim.revision, reviewer, "Vladimir Putin")
    add_evidence(own, reviewer)
    verdict = services.verdict_save(actor=reviewer, claim=own, rating=rating, explanation="Mine.")
    verdict = services.verdict_submit(actor=reviewer, verdict=verdict)
    client.force_login(reviewer)
    response = client.post(f"/verdicts/{verdict.pk}/approve/", {"version": verdict.version, "confirm": "on"}, **FETCH)
    assert response.status_code == 403 and not response["Content-Type"].startswith("application/json")
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.IN_REVIEW


def test_removing_evidence_in_place(client, editor, claim):
    evidence = add_evidence(claim, editor)
    client.force_login(editor)
    data = client.post(f"/evidence/{evidence.pk}/remove/", **FETCH).json()
    assert data["message"] == "Evidence removed." and data["where"] == "evidence-list"
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_withdraw_refused_without_a_reason_then_done_in_place(client, editor, claim):
    client.force_login(editor)
    refused = client.post(f"/claims/{claim.pk}/withdraw/", {"reason": ""}, **FETCH)
    assert refused.status_code == 400 and 'id="withdraw-form"' in refused.json()["panel"]
    done = client.post(f"/claims/{claim.pk}/withdraw/", {"reason": "A duplicate."}, **FETCH)
    assert done.status_code == 200 and done.json()["where"] == "withdrawn-note"
    assert 'id="withdrawn-note"' in done.json()["panel"]
    restored = client.post(f"/claims/{claim.pk}/restore/", **FETCH).json()
    assert restored["message"] == "Claim restored."


# --- The evidence status that panel.js polls ------------------------------------------------------------------------


def test_evidence_status_says_pending_until_the_capture_is_done(client, editor, claim, django_assert_max_num_queries):
    evidence = add_evidence(claim, editor, quote="Russia third.")
    assert evidence.capture.status == Capture.Status.PENDING
    client.force_login(editor)
    with django_assert_max_num_queries(6):
        data = client.get(f"/claims/{claim.pk}/evidence-status/").json()
    assert data["pending"] is True and data["evidence"][str(evidence.pk)]["pending"] is True
    assert "Pending" in data["evidence"][str(evidence.pk)]["html"]
    Capture.objects.filter(pk=evidence.capture_id).update(
        status=Capture.Status.DONE, finished_at=timezone.now(), sha256="0" * 64
    )
    Evidence.objects.filter(pk=evidence.pk).update(quote_status=Evidence.QuoteStatus.NOT_FOUND)
    data = client.get(f"/claims/{claim.pk}/evidence-status/").json()
    assert data["pending"] is False
    html = data["evidence"][str(evidence.pk)]["html"]
    assert "Done" in html and "quote not found in the source" in html


def test_evidence_status_needs_the_role_and_a_claim(client, editor, claim):
    client.force_login(make_user("nobody", None))
    assert client.get(f"/claims/{claim.pk}/evidence-status/").status_code == 403
    client.force_login(editor)
    assert client.get("/claims/999999/evidence-status/").status_code == 404


# --- Overlaps -------------------------------------------------------------------------------------------------------


def test_a_claim_overlapping_another_is_warned_about_then_made_once_seen(client, editor, claim, revision):
    client.force_login(editor)
    post = {"revision": revision.pk, "selectors": selectors(revision.text, "top five arms exporters")}
    warned = client.post(f"/articles/{revision.article_id}/claims/", post, **FETCH)
    assert warned.status_code == 409
    panel = warned.json()["panel"]
    assert f'href="?claim={claim.pk}#panel"' in panel and f'name="overlaps" value="{claim.pk}"' in panel
    assert "Create claim anyway" in panel and Claim.objects.count() == 1
    made = client.post(f"/articles/{revision.article_id}/claims/", {**post, "overlaps": [str(claim.pk)]})
    assert made.status_code == 302 and Claim.objects.count() == 2


def test_the_same_text_claimed_twice_is_named_so(client, editor, claim, revision):
    client.force_login(editor)
    post = {"revision": revision.pk, "selectors": selectors(revision.text, claim.exact)}
    page = client.post(f"/articles/{revision.article_id}/claims/", post).content.decode()
    assert "(the same text)" in page and 'id="claim-overlap"' in page


def test_withdrawn_and_distant_claims_are_no_overlap(client, editor, claim, revision):
    services.claim_withdraw(actor=editor, claim=claim, reason="Wrong span.")
    client.force_login(editor)
    post = {"revision": revision.pk, "selectors": selectors(revision.text, "top five arms exporters")}
    assert client.post(f"/articles/{revision.article_id}/claims/", post).status_code == 302
    post = {"revision": revision.pk, "selectors": selectors(revision.text, "Vladimir Putin")}
    assert client.post(f"/articles/{revision.article_id}/claims/", post).status_code == 302


# --- Re-attach on the anchoring page --------------------------------------------------------------------------------


def test_reattach_in_place_answers_with_the_rows_and_the_real_text(client, editor, revision):
    from tests.test_reanchoring import DELETED, NEW_WORDING, browser_selectors, new_revision, reanchored

    claim = make_claim(revision, editor)
    newest = new_revision(editor, revision.article, DELETED + " " + NEW_WORDING + ", SIPRI says.")
    claim = reanchored(claim)
    client.force_login(editor)
    url = f"/articles/{revision.article_id}/anchoring/"
    bad = client.post(url, {"claim": claim.pk, "revision": newest.pk, "selectors": "not json"}, **FETCH)
    assert bad.status_code == 400 and bad.json()["where"] == f"claim-{claim.pk}"
    assert 'class="reattach-form"' in bad.json()["body"]
    start = newest.text.index(NEW_WORDING)
    post = {"claim": claim.pk, "revision": newest.pk, "selectors": browser_selectors(start, start + len(NEW_WORDING))}
    data = client.post(url, post, **FETCH).json()
    assert data["level"] == "success" and data["message"] == f"Claim re-attached to “{NEW_WORDING}”."
    assert "Every claim is anchored" in data["body"]


def test_the_open_claim_can_be_fetched_again_as_a_panel(client, editor, claim):
    client.force_login(editor)
    data = client.get(f"/articles/{claim.article_id}/?claim={claim.pk}", **FETCH).json()
    assert f'id="claim-{claim.pk}"' in data["panel"] and data["message"] == "" and "article" in data
    again = client.get(
        f"/articles/{claim.article_id}/?claim={claim.pk}", HTTP_X_HIGHLIGHTS=data["highlights"], **FETCH
    ).json()
    assert "article" not in again


def test_a_refused_claim_keeps_the_claim_that_was_open_beside_it(client, editor, claim, revision):
    client.force_login(editor)
    post = {"revision": revision.pk, "selectors": "not json", "open_claim": str(claim.pk)}
    response = client.post(f"/articles/{revision.article_id}/claims/", post, **FETCH)
    assert response.status_code == 400
    data = response.json()
    assert f'id="claim-{claim.pk}"' in data["panel"] and 'class="errorlist' in data["panel"]
    assert data["url"] == f"?claim={claim.pk}"
    post["open_claim"] = "x'><script>"  # anything else: no claim open, nothing echoed
    response = client.post(f"/articles/{revision.article_id}/claims/", post)
    assert response.status_code == 400 and "x'><script>" not in response.content.decode()
