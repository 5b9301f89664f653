"""The checklist before approve and publish, the override that blockers need, and the short-statement rule."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from annotations import services
from annotations.models import Activity, Capture, Claim, Evidence, Verdict

from .factories import add_evidence, make_claim

pytestmark = pytest.mark.django_db


def in_review(editor, revision, rating, *, evidence=True, **claim_fields):
    claim = make_claim(revision, editor, **claim_fields)
    if evidence:
        add_evidence(claim, editor)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="SIPRI ranks it third.")
    return services.verdict_submit(actor=editor, verdict=verdict)


def codes(items):
    return [item.code for item in items]


def test_no_evidence_is_a_blocker_and_approve_is_refused_naming_it(editor, reviewer, revision, rating):
    verdict = in_review(editor, revision, rating, evidence=False)
    checklist = services.publication_checklist(verdict)
    assert codes(checklist.blockers) == ["no_evidence"]
    with pytest.raises(services.ChecklistBlocked) as error:
        services.verdict_approve(actor=reviewer, verdict=verdict, override="   ")
    assert "the claim has no evidence" in error.value.message_dict["override"][0]
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.IN_REVIEW
    assert not Activity.objects.filter(action__in=["checklist_override", "verdict_approved"]).exists()


def test_override_reason_lets_approve_through_and_is_recorded(editor, reviewer, revision, rating):
    verdict = in_review(editor, revision, rating, evidence=False)
    verdict = services.verdict_approve(
        actor=reviewer, verdict=verdict, override="  Evidence is in the print edition. "
    )
    assert verdict.status == Verdict.Status.APPROVED
    override = Activity.objects.get(action="checklist_override")
    assert override.actor == reviewer and override.verdict_id == verdict.pk
    assert "no_evidence" in override.comment and "Reason: Evidence is in the print edition." in override.comment
    actions = list(Activity.objects.filter(verdict=verdict).values_list("action", flat=True))
    assert actions[-2:] == ["checklist_override", "verdict_approved"]


def test_publish_with_a_blocker_needs_its_own_override(editor, reviewer, revision, rating):
    verdict = in_review(editor, revision, rating, evidence=False)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict, override="Print edition.")
    with pytest.raises(services.ChecklistBlocked):
        services.verdict_publish(actor=reviewer, verdict=verdict)
    verdict = services.verdict_publish(actor=reviewer, verdict=verdict, override="Desk agreed by phone.")
    assert verdict.status == Verdict.Status.PUBLISHED
    assert Activity.objects.filter(action="checklist_override").count() == 2
    assert "Published despite no_evidence" in Activity.objects.filter(action="checklist_override").last().comment


def test_override_is_not_recorded_when_nothing_blocks(editor, reviewer, revision, rating):
    verdict = in_review(editor, revision, rating)
    services.verdict_approve(actor=reviewer, verdict=verdict, override="Just in case.")
    assert not Activity.objects.filter(action="checklist_override").exists()


def test_an_orphaned_claim_is_a_blocker(editor, reviewer, revision, rating):
    verdict = in_review(editor, revision, rating)
    Claim.objects.filter(pk=verdict.claim_id).update(anchor_state="orphaned", anchor_start=None, anchor_end=None)
    checklist = services.publication_checklist(verdict)
    assert codes(checklist.blockers) == ["claim_orphaned"]
    assert "no longer in the newest revision" in checklist.blockers[0].message
    with pytest.raises(services.ChecklistBlocked, match="no longer in the newest revision"):
        services.verdict_approve(actor=reviewer, verdict=verdict)


def test_warnings_are_listed_and_never_block(editor, reviewer, revision, rating):
    claim = make_claim(revision, editor)
    add_evidence(claim, editor)
    Claim.objects.filter(pk=claim.pk).update(anchor_state="changed")
    failed = add_evidence(claim, editor, url="https://www.sipri.org/failed", stance="context", quote="Q")
    Capture.objects.filter(pk=failed.capture_id).update(status="failed", error_code="http_404", error_message="Gone")
    differs = add_evidence(claim, editor, url="https://www.sipri.org/differs", stance="refutes", quote="Russia second")
    Capture.objects.filter(pk=differs.capture_id).update(status="done", sha256="0" * 64, finished_at=timezone.now())
    Evidence.objects.filter(pk=differs.pk).update(quote_status="differs", quote_start=0, quote_end=5)
    missing = add_evidence(claim, editor, url="https://www.sipri.org/missing", stance="supports", quote="Absent")
    Evidence.objects.filter(pk=missing.pk).update(quote_status="not_found")
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="SIPRI ranks it third.")
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    checklist = services.publication_checklist(verdict)
    assert checklist.blockers == []
    assert set(codes(checklist.warnings)) == {
        "claim_changed",
        "capture_pending",
        "capture_failed",
        "quote_differs",
        "quote_not_found",
    }
    failed_item = next(item for item in checklist.warnings if item.code == "capture_failed")
    assert "https://www.sipri.org/failed" in failed_item.message and "http_404" in failed_item.message
    assert services.verdict_approve(actor=reviewer, verdict=verdict).status == Verdict.Status.APPROVED


def test_context_only_evidence_and_a_source_blocked_later_are_warnings(editor, admin_user, revision, rating):
    source = services.source_save(actor=admin_user, name="Bad", domain="bad.example")
    claim = make_claim(revision, editor)
    add_evidence(claim, editor, url="https://bad.example/x", stance="context")
    services.source_save(actor=admin_user, source=source, name="Bad", domain="bad.example", blocked=True)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="x")
    assert {"context_only", "source_blocked"} <= set(codes(services.publication_checklist(verdict).warnings))


def test_a_claim_not_yet_located_on_a_new_revision_is_a_warning(editor, revision, rating):
    verdict = in_review(editor, revision, rating)
    # The re-anchoring of the new revision runs after commit, which a test transaction never reaches.
    services.revision_add(actor=editor, article=revision.article, text=revision.text + " More.", origin="pasted")
    assert set(codes(services.publication_checklist(verdict).warnings)) == {"capture_pending", "anchoring_pending"}


def test_checklists_cost_two_queries_however_many_verdicts(editor, revision, rating, django_assert_num_queries):
    verdicts = [
        in_review(editor, revision, rating, quote=quote)
        for quote in ("Russia continues", "military products", "Putin underscored")
    ]
    with django_assert_num_queries(2):
        checklists = services.publication_checklists(verdicts)
    assert set(checklists) == {verdict.pk for verdict in verdicts}
    assert all(codes(checklist.warnings) == ["capture_pending"] for checklist in checklists.values())


# --- the short statement -------------------------------------------------------------------------------------------


def test_a_verdict_without_a_short_statement_cannot_be_submitted(editor, revision, rating):
    claim = make_claim(revision, editor, claim_reviewed="")
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="x")
    with pytest.raises(ValidationError) as error:
        services.verdict_submit(actor=editor, verdict=verdict)
    assert error.value.message_dict == {
        "claim_reviewed": ["Add a short statement of at most 75 characters before submitting."]
    }
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.DRAFT
    services.claim_update(actor=editor, claim=claim, claimant="", claim_reviewed="Russia is a top-five arms exporter")
    assert services.verdict_submit(actor=editor, verdict=verdict).status == Verdict.Status.IN_REVIEW


def test_a_short_statement_removed_in_review_stops_approve_and_publish_even_with_an_override(
    editor, reviewer, revision, rating
):
    verdict = in_review(editor, revision, rating)
    # The services no longer let anyone edit a claim in review (approval covers it); the checklist still refuses a
    # statement that went missing by another path.
    Claim.objects.filter(pk=verdict.claim_id).update(claim_reviewed="")
    assert codes(services.publication_checklist(verdict).refusals) == ["short_statement_missing"]
    with pytest.raises(ValidationError, match="Add a short statement of at most 75 characters") as error:
        services.verdict_approve(actor=reviewer, verdict=verdict, override="Please.")
    assert list(error.value.message_dict) == ["claim_reviewed"]
    Claim.objects.filter(pk=verdict.claim_id).update(claim_reviewed="Russia: top five")
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    Claim.objects.filter(pk=verdict.claim_id).update(claim_reviewed=" ")
    with pytest.raises(ValidationError, match="short statement"):
        services.verdict_publish(actor=reviewer, verdict=verdict, override="Please.")
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.APPROVED


# --- over-long values ----------------------------------------------------------------------------------------------


def test_over_long_explanation_comment_and_override_are_refused_with_the_limit(editor, reviewer, revision, rating):
    claim = make_claim(revision, editor)
    with pytest.raises(ValidationError) as error:
        services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="x" * 20_001)
    assert error.value.message_dict["explanation"] == ["The explanation is at most 20000 characters (20001 given)."]
    verdict = in_review(editor, revision, rating, quote="military products")
    with pytest.raises(ValidationError) as error:
        services.verdict_approve(actor=reviewer, verdict=verdict, comment="c" * 5001)
    assert "at most 5000 characters" in error.value.message_dict["comment"][0]
    with pytest.raises(ValidationError) as error:
        services.verdict_request_changes(actor=reviewer, verdict=verdict, comment="c" * 5001)
    assert "comment" in error.value.message_dict
    Evidence.objects.filter(claim=verdict.claim).delete()
    with pytest.raises(ValidationError) as error:
        services.verdict_approve(actor=reviewer, verdict=verdict, override="o" * 5001)
    assert "The override reason is at most 5000 characters" in error.value.message_dict["override"][0]
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.IN_REVIEW
