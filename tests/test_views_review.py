"""The web UI's approve/publish confirmation, kept input after conflicts and errors, and refused over-long values."""

import re

import pytest

from annotations import services
from annotations.models import Activity, Evidence, Verdict

from .test_views import QUOTE, selectors, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def panel(client, world):
    url = f"/articles/{world['revision'].article_id}/?claim={world['claim'].pk}"
    return client.get(url).content.decode()


def test_approve_with_a_blocker_is_refused_without_a_reason_and_the_checklist_shown(client, world):
    Evidence.objects.filter(claim=world["claim"]).delete()
    verdict = world["verdict"]
    client.force_login(world["users"]["reviewer"])
    body = panel(client, world)
    assert "The claim has no evidence." in body and 'name="override"' in body and 'name="confirm"' in body
    url = f"/verdicts/{verdict.pk}/approve/"
    refused = client.post(url, {"version": verdict.version, "confirm": "on", "comment": "Looks fine."})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Not approved: the claim has no evidence" in page
    assert ">Looks fine.</textarea>" in page  # the comment is kept
    assert Verdict.objects.get(pk=verdict.pk).status == "in_review"
    approved = client.post(
        url, {"version": verdict.version, "confirm": "on", "comment": "Looks fine.", "override": "Print edition."}
    )
    assert approved.status_code == 302
    assert Verdict.objects.get(pk=verdict.pk).status == "approved"
    assert "Print edition." in Activity.objects.get(action="checklist_override").comment


def test_an_unconfirmed_post_approves_nothing_and_records_nothing(client, world):
    verdict = world["verdict"]
    client.force_login(world["users"]["reviewer"])
    before = Activity.objects.count()
    response = client.post(f"/verdicts/{verdict.pk}/approve/", {"version": verdict.version, "comment": "Ok."})
    assert response.status_code == 400
    assert "Read the checklist and confirm to approve." in response.content.decode()
    assert Verdict.objects.get(pk=verdict.pk).status == "in_review"
    assert Activity.objects.count() == before


def test_a_stale_transition_keeps_the_comment(client, world):
    verdict = world["verdict"]
    client.force_login(world["users"]["reviewer"])
    stale = client.post(
        f"/verdicts/{verdict.pk}/request-changes/", {"version": verdict.version - 1, "comment": "Cite SIPRI's table."}
    )
    assert stale.status_code == 409
    assert "Cite SIPRI&#x27;s table.</textarea>" in stale.content.decode()
    # Someone else sends it back meanwhile: the form is gone, the comment is still there to copy.
    services.verdict_request_changes(actor=world["users"]["admin"], verdict=verdict, comment="Other reviewer.")
    data = {"version": verdict.version, "comment": "My approval note.", "confirm": "on"}
    gone = client.post(f"/verdicts/{verdict.pk}/approve/", data)
    assert gone.status_code == 409
    body = gone.content.decode()
    assert 'id="unsaved-comment"' in body and "My approval note.</textarea>" in body


def test_stale_submit_shows_the_unsaved_text_read_only(client, world):
    author = world["users"]["editor"]
    claim = services.claim_create(
        actor=author, revision=world["revision"], start=0, end=6, exact="Russia", claim_reviewed="Russia"
    )
    verdict = services.verdict_save(actor=author, claim=claim, rating=world["rating"], explanation="First.")
    services.verdict_submit(actor=world["users"]["reviewer"], verdict=verdict)
    client.force_login(author)
    response = client.post(
        f"/claims/{claim.pk}/verdict/",
        {"rating": world["rating"].pk, "explanation": "My rewrite <kept>.", "version": verdict.version},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="verdict-form"' not in body  # in review: not editable any more
    unsaved = re.search(r'<textarea id="unsaved-explanation"[^>]*readonly>(.*?)</textarea>', body, re.S)
    assert unsaved and unsaved.group(1) == "My rewrite &lt;kept&gt;."
    assert "Your rating: <strong>True</strong>" in body


def test_submit_without_a_short_statement_says_so(client, world):
    author = world["users"]["editor"]
    claim = services.claim_create(actor=author, revision=world["revision"], start=0, end=6, exact="Russia")
    verdict = services.verdict_save(actor=author, claim=claim, rating=world["rating"], explanation="First.")
    client.force_login(author)
    page = client.get(f"/articles/{world['revision'].article_id}/?claim={claim.pk}").content.decode()
    assert 'id="short-statement-needed"' in page
    response = client.post(f"/verdicts/{verdict.pk}/submit/", {"version": verdict.version})
    assert response.status_code == 400
    assert "Add a short statement of at most 75 characters before submitting." in response.content.decode()
    assert Verdict.objects.get(pk=verdict.pk).status == "draft"


def test_fields_have_counters_not_maxlength(client, world):
    client.force_login(world["users"]["editor"])
    body = panel(client, world)
    assert "maxlength=" not in body.replace("data-maxlength=", "")
    assert 'data-maxlength="75"' in body and 'data-maxlength="200"' in body and "counter.js" in body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("claim_reviewed", "s" * 80, "Short statement is at most 75 characters (80 given)."),
        ("claimant", "c" * 201, "Claimant is at most 200 characters (201 given)."),
    ],
)
def test_over_long_claim_fields_are_refused_naming_field_and_limit(client, world, field, value, message):
    client.force_login(world["users"]["editor"])
    revision = world["revision"]
    data = {"revision": revision.pk, "selectors": selectors(revision.text, "Vladimir Putin"), field: value}
    created = client.post(f"/articles/{revision.article_id}/claims/", data)
    assert created.status_code == 400 and message in created.content.decode()
    assert value in created.content.decode()  # kept in the form, not cut
    edited = client.post(f"/claims/{world['claim'].pk}/edit/", {field: value})
    assert edited.status_code == 400 and message in edited.content.decode()


def test_over_long_evidence_and_explanation_are_refused(client, world):
    client.force_login(world["users"]["editor"])
    claim = world["claim"]
    evidence = client.post(
        f"/claims/{claim.pk}/evidence/", {"url": "https://sipri.org/y", "stance": "supports", "quote": "q" * 5001}
    )
    assert evidence.status_code == 400
    assert "Quote is at most 5000 characters (5001 given)." in evidence.content.decode()
    other = services.claim_create(
        actor=world["users"]["editor"], revision=world["revision"], start=0, end=6, exact="Russia"
    )
    verdict = client.post(f"/claims/{other.pk}/verdict/", {"rating": world["rating"].pk, "explanation": "e" * 20_001})
    assert verdict.status_code == 400
    assert "Explanation is at most 20000 characters (20001 given)." in verdict.content.decode()
