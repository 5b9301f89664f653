"""Approval covers the claim, its evidence and its verdict; publishing publishes exactly what was approved."""

import pytest
from django.core.exceptions import ValidationError

from annotations import services
from annotations.models import Claim, Evidence, Verdict

from .api_support import client_for
from .factories import RatingFactory, add_evidence, make_claim

pytestmark = pytest.mark.django_db


def reviewed(editor, reviewer, revision, rating, *, approve=True):
    claim = make_claim(revision, editor, claimant="Vladimir Putin")
    add_evidence(claim, editor, quote="Russia was third")
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="SIPRI ranks it third.")
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    return services.verdict_approve(actor=reviewer, verdict=verdict) if approve else verdict


@pytest.mark.parametrize("approve", [False, True], ids=["in review", "approved"])
def test_the_claim_and_its_evidence_cannot_change_in_review_or_after_approval(
    editor, reviewer, revision, rating, approve
):
    verdict = reviewed(editor, reviewer, revision, rating, approve=approve)
    claim = verdict.claim
    with pytest.raises(ValidationError, match="a reviewer must send it back") as error:
        services.claim_update(actor=editor, claim=claim, claimant="Someone", claim_reviewed="Russia is first")
    assert list(error.value.message_dict) == ["claim"]
    with pytest.raises(ValidationError, match="a reviewer must send it back"):
        services.evidence_add(actor=editor, claim=claim, url="https://www.sipri.org/new", stance="refutes")
    evidence = claim.evidence.get()
    with pytest.raises(ValidationError, match="a reviewer must send it back"):
        services.evidence_update(actor=editor, evidence=evidence, quote="Russia was first")
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.claimant, stored.claim_reviewed) == ("Vladimir Putin", claim.claim_reviewed)
    assert list(Evidence.objects.filter(claim=claim).values_list("quote", flat=True)) == ["Russia was third"]


def test_an_approved_verdict_is_sent_back_then_edited_reapproved_and_published(editor, reviewer, revision, rating):
    verdict = reviewed(editor, reviewer, revision, rating)
    verdict = services.verdict_request_changes(actor=reviewer, verdict=verdict, comment="Name the claimant fully.")
    assert verdict.status == Verdict.Status.CHANGES_REQUESTED
    services.claim_update(
        actor=editor, claim=verdict.claim, claimant="President Vladimir Putin", claim_reviewed="Russia: top five"
    )
    add_evidence(verdict.claim, editor, url="https://www.sipri.org/second", stance="context")
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    assert services.verdict_publish(actor=reviewer, verdict=verdict).status == Verdict.Status.PUBLISHED


def _change_claimant(verdict):
    Claim.objects.filter(pk=verdict.claim_id).update(claimant="Someone else")


def _change_statement(verdict):
    Claim.objects.filter(pk=verdict.claim_id).update(claim_reviewed="Russia is the first arms exporter")


def _change_quote(verdict):
    Evidence.objects.filter(claim_id=verdict.claim_id).update(quote="Russia was first")


def _add_evidence(verdict):
    evidence = Evidence.objects.get(claim_id=verdict.claim_id)
    Evidence.objects.create(
        claim_id=verdict.claim_id, url="https://x.example/", stance="supports", author=evidence.author
    )


def _remove_evidence(verdict):
    Evidence.objects.filter(claim_id=verdict.claim_id).delete()


def _change_explanation(verdict):
    Verdict.objects.filter(pk=verdict.pk).update(explanation="Rewritten after approval.")


def _change_rating(verdict):
    Verdict.objects.filter(pk=verdict.pk).update(rating=RatingFactory(label="False", value=1))


@pytest.mark.parametrize(
    ("sneak", "named"),
    [
        (_change_claimant, "the claimant"),
        (_change_statement, "the short statement"),
        (_change_quote, "evidence #{evidence} (edited)"),
        (_add_evidence, "(added)"),
        (_remove_evidence, "evidence #{evidence} (removed)"),
        (_change_explanation, "the explanation"),
        (_change_rating, "the rating"),
    ],
)
def test_publishing_refuses_what_changed_after_approval_by_any_path_naming_it(
    editor, reviewer, revision, rating, sneak, named
):
    verdict = reviewed(editor, reviewer, revision, rating)
    evidence = Evidence.objects.get(claim_id=verdict.claim_id)
    sneak(verdict)  # as the Django admin, SQL or a future bug could, with no service in the way
    with pytest.raises(ValidationError) as error:
        services.verdict_publish(actor=reviewer, verdict=verdict, override="Publish anyway.")
    message = error.value.message_dict["verdict"][0]
    assert message.startswith("Not published: Since it was approved, ")
    assert named.format(evidence=evidence.pk) in message and "send it back for review" in message
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.APPROVED


def test_machine_findings_after_approval_do_not_stop_publishing(editor, reviewer, revision, rating):
    verdict = reviewed(editor, reviewer, revision, rating)
    Evidence.objects.filter(claim_id=verdict.claim_id).update(quote_status="not_found")  # a capture re-check
    Claim.objects.filter(pk=verdict.claim_id).update(anchor_state="moved")  # re-anchoring on a new revision
    assert services.verdict_publish(actor=reviewer, verdict=verdict).status == Verdict.Status.PUBLISHED


def test_a_verdict_approved_with_no_record_of_what_was_approved_is_not_published(editor, reviewer, revision, rating):
    verdict = reviewed(editor, reviewer, revision, rating)
    Verdict.objects.filter(pk=verdict.pk).update(approved_fingerprint=None)  # approved before the record existed
    with pytest.raises(ValidationError, match="There is no record of what was approved"):
        services.verdict_publish(actor=reviewer, verdict=verdict)


def test_the_api_refuses_edits_after_approval_and_publishing_changed_content(editor, reviewer, revision, rating):
    verdict = reviewed(editor, reviewer, revision, rating)
    editor_api, reviewer_api = client_for(editor), client_for(reviewer)
    patched = editor_api.patch(f"/api/claims/{verdict.claim_id}/", {"claimant": "Someone"}, format="json")
    assert patched.status_code == 400 and "send it back" in patched.json()["claim"][0]
    added = editor_api.post(
        "/api/evidence/",
        {"claim": verdict.claim_id, "url": "https://www.sipri.org/late", "stance": "refutes"},
        format="json",
    )
    assert added.status_code == 400 and "send it back" in added.json()["claim"][0]
    assert Claim.objects.get(pk=verdict.claim_id).claimant == "Vladimir Putin"
    assert Evidence.objects.filter(claim_id=verdict.claim_id).count() == 1
    _change_statement(verdict)
    published = reviewer_api.post(f"/api/verdicts/{verdict.pk}/publish/", {"version": verdict.version}, format="json")
    assert published.status_code == 400 and "the short statement changed" in published.json()["verdict"][0]


def test_the_web_refuses_edits_after_approval_and_offers_to_send_it_back(
    client, editor, reviewer, reviewer2, revision, rating
):
    verdict = reviewed(editor, reviewer, revision, rating)
    client.force_login(editor)
    panel_url = f"/articles/{verdict.claim.article_id}/?claim={verdict.claim_id}"
    panel = client.get(panel_url).content.decode()
    assert 'id="claim-locked"' in panel and 'action="/claims/' not in panel.split('id="claim-locked"')[1][:400]
    edited = client.post(f"/claims/{verdict.claim_id}/edit/", {"claimant": "Someone", "claim_reviewed": "Other"})
    assert edited.status_code == 400 and "a reviewer must send it back for review" in edited.content.decode()
    added = client.post(
        f"/claims/{verdict.claim_id}/evidence/", {"url": "https://www.sipri.org/l", "stance": "refutes"}
    )
    assert added.status_code == 400 and "a reviewer must send it back" in added.content.decode()
    assert Claim.objects.get(pk=verdict.claim_id).claimant == "Vladimir Putin"
    # A reviewer who did not write it sends it back from the panel.
    client.force_login(reviewer2)
    assert 'id="send-back-form"' in client.get(panel_url).content.decode()
    sent = client.post(
        f"/verdicts/{verdict.pk}/request-changes/", {"comment": "Check the claimant.", "version": verdict.version}
    )
    assert sent.status_code == 302
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.CHANGES_REQUESTED
    # Publishing content changed behind the services' back is refused with the reason on the page.
    second = reviewed(editor, reviewer, revision, rating)
    _change_claimant(second)
    refused = client.post(f"/verdicts/{second.pk}/publish/", {"confirm": "on", "version": second.version})
    assert refused.status_code == 400 and "the claimant changed" in refused.content.decode()
