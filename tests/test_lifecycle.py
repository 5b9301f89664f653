"""The lifecycle after the first draft, through the services: withdrawing claims, editing and removing evidence,
unpublishing and correcting fact-checks, and the role rules of each."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from annotations import services
from annotations.models import Activity, Capture, Claim, Correction, Evidence, Verdict

from .factories import RatingFactory, add_evidence, make_claim

pytestmark = pytest.mark.django_db

SOURCE_TEXT = "In 2020-24 the United States was the largest exporter; Russia was third, with 7.8% of global exports."


def verdict_for(claim, author, rating, *, submit=False):
    """The claim's verdict, with the evidence the checklist asks for before approval."""
    if not claim.evidence.exists():
        add_evidence(claim, author, quote="Russia was third")
    verdict = services.verdict_save(actor=author, claim=claim, rating=rating, explanation="SIPRI ranks Russia third.")
    return services.verdict_submit(actor=author, verdict=verdict) if submit else verdict


def published(editor, reviewer, revision, rating, quote="among the top five arms exporters in the world"):
    claim = make_claim(revision, editor, quote)
    verdict = verdict_for(claim, editor, rating, submit=True)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    return services.verdict_publish(actor=reviewer, verdict=verdict)


def done_capture(url, text=SOURCE_TEXT):
    return Capture.objects.create(url=url, status="done", sha256="0" * 64, finished_at=timezone.now(), text=text)


def actions(claim):
    return list(Activity.objects.filter(claim=claim).values_list("action", flat=True))


# --- Withdrawing claims ----------------------------------------------------------------------------------------------


def test_editor_withdraws_own_draft_with_a_reason(editor, revision):
    claim = make_claim(revision, editor)
    claim = services.claim_withdraw(actor=editor, claim=claim, reason="Duplicate of the claim above.")
    claim.refresh_from_db()
    assert claim.is_withdrawn and claim.withdrawn_by == editor
    assert claim.withdrawal_reason == "Duplicate of the claim above."
    entry = Activity.objects.get(claim=claim, action="claim_withdrawn")
    assert (entry.actor, entry.comment) == (editor, "Duplicate of the claim above.")


def test_editor_withdraws_own_claim_sent_back(editor, reviewer, revision, rating):
    claim = make_claim(revision, editor)
    verdict = verdict_for(claim, editor, rating, submit=True)
    services.verdict_request_changes(actor=reviewer, verdict=verdict, comment="Wrong claim.")
    assert services.claim_withdraw(actor=editor, claim=claim, reason="Mistake").is_withdrawn


def test_withdrawing_needs_a_reason(editor, revision):
    claim = make_claim(revision, editor)
    with pytest.raises(ValidationError) as error:
        services.claim_withdraw(actor=editor, claim=claim, reason="  ")
    assert "reason" in error.value.message_dict
    claim.refresh_from_db()
    assert not claim.is_withdrawn


def test_editor_cannot_withdraw_another_editors_claim(editor, editor2, revision):
    claim = make_claim(revision, editor)
    with pytest.raises(PermissionDenied, match="only the claims they highlighted"):
        services.claim_withdraw(actor=editor2, claim=claim, reason="Looks wrong")
    assert not Claim.objects.get(pk=claim.pk).is_withdrawn


@pytest.mark.parametrize("stage", ["in_review", "approved"])
def test_editor_cannot_withdraw_own_claim_once_submitted(editor, reviewer, revision, rating, stage):
    claim = make_claim(revision, editor)
    verdict = verdict_for(claim, editor, rating, submit=True)
    if stage == "approved":
        services.verdict_approve(actor=reviewer, verdict=verdict)
    with pytest.raises(PermissionDenied, match="only a reviewer"):
        services.claim_withdraw(actor=editor, claim=claim, reason="Oops")
    assert not Claim.objects.get(pk=claim.pk).is_withdrawn


@pytest.mark.parametrize("role", ["reviewer", "admin_user"])
def test_reviewers_and_admins_withdraw_any_unpublished_claim(request, editor, reviewer2, revision, rating, role):
    actor = request.getfixturevalue(role)
    claim = make_claim(revision, editor)
    verdict = verdict_for(claim, editor, rating, submit=True)
    services.verdict_approve(actor=reviewer2, verdict=verdict)
    claim = services.claim_withdraw(actor=actor, claim=claim, reason="Duplicate")
    assert claim.is_withdrawn and claim.withdrawn_by == actor


def test_nobody_withdraws_a_published_claim(editor, reviewer, reviewer2, admin_user, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    for actor in (editor, reviewer, reviewer2, admin_user):
        with pytest.raises(ValidationError, match="unpublish its fact-check first"):
            services.claim_withdraw(actor=actor, claim=verdict.claim, reason="Gone")
    assert not Claim.objects.get(pk=verdict.claim_id).is_withdrawn


def test_a_withdrawn_claims_verdict_cannot_move_on_until_restored(editor, reviewer, reviewer2, revision, rating):
    claim = make_claim(revision, editor)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict_for(claim, editor, rating, submit=True))
    services.claim_withdraw(actor=reviewer2, claim=claim, reason="Duplicate")
    with pytest.raises(ValidationError, match="withdrawn"):
        services.verdict_publish(actor=reviewer, verdict=verdict)
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.APPROVED

    services.claim_restore(actor=reviewer2, claim=claim)
    assert services.verdict_publish(actor=reviewer, verdict=verdict).status == Verdict.Status.PUBLISHED
    assert actions(claim)[-3:-1] == ["claim_withdrawn", "claim_restored"]


def test_a_withdrawn_claim_takes_no_new_evidence(editor, revision):
    claim = services.claim_withdraw(actor=editor, claim=make_claim(revision, editor), reason="Duplicate")
    with pytest.raises(ValidationError, match="restore it"):
        services.evidence_add(actor=editor, claim=claim, url="https://www.sipri.org/fs", stance="supports")
    assert not Evidence.objects.exists()


def test_editor_restores_own_withdrawn_draft_but_not_anothers(editor, editor2, revision):
    claim = make_claim(revision, editor)
    services.claim_withdraw(actor=editor, claim=claim, reason="Not sure")
    with pytest.raises(PermissionDenied):
        services.claim_restore(actor=editor2, claim=claim)
    claim = services.claim_restore(actor=editor, claim=claim)
    assert not claim.is_withdrawn and claim.withdrawal_reason == ""
    with pytest.raises(ValidationError, match="not withdrawn"):
        services.claim_restore(actor=editor, claim=claim)


# --- Evidence --------------------------------------------------------------------------------------------------------


def test_changed_quote_is_checked_again_against_the_capture(editor, revision):
    done_capture("https://www.sipri.org/fs")
    claim = make_claim(revision, editor)
    evidence = services.evidence_add(
        actor=editor, claim=claim, url="https://www.sipri.org/fs", stance="supports", quote="Russia was third"
    )
    assert evidence.quote_status == Evidence.QuoteStatus.FOUND
    evidence = services.evidence_update(actor=editor, evidence=evidence, quote="Germany leads the world in 2030")
    evidence.refresh_from_db()
    assert evidence.quote == "Germany leads the world in 2030"
    assert evidence.quote_status == Evidence.QuoteStatus.NOT_FOUND and evidence.quote_checked_at is not None
    entry = Activity.objects.get(claim=claim, action="evidence_edited")
    assert "Russia was third" in entry.comment and "Germany leads the world in 2030" in entry.comment


def test_changed_url_requests_a_new_capture_and_forgets_the_old_check(
    editor, revision, django_capture_on_commit_callbacks
):
    done_capture("https://www.sipri.org/fs")
    claim = make_claim(revision, editor)
    evidence = services.evidence_add(
        actor=editor, claim=claim, url="https://www.sipri.org/fs", stance="supports", quote="Russia was third"
    )
    old_capture = evidence.capture
    evidence = services.evidence_update(actor=editor, evidence=evidence, url="https://other.example/report")
    evidence.refresh_from_db()
    assert evidence.url == "https://other.example/report"
    assert evidence.capture != old_capture and evidence.capture.status == Capture.Status.PENDING
    assert evidence.quote_status == Evidence.QuoteStatus.UNCHECKED and evidence.quote_start is None


def test_stance_and_note_edit_keeps_the_quote_check(editor, revision):
    done_capture("https://www.sipri.org/fs")
    claim = make_claim(revision, editor)
    evidence = services.evidence_add(
        actor=editor, claim=claim, url="https://www.sipri.org/fs", stance="supports", quote="Russia was third"
    )
    checked_at = evidence.quote_checked_at
    evidence = services.evidence_update(actor=editor, evidence=evidence, stance="context", note="Share fell.")
    evidence.refresh_from_db()
    assert (evidence.stance, evidence.note) == ("context", "Share fell.")
    assert evidence.quote_status == Evidence.QuoteStatus.FOUND and evidence.quote_checked_at == checked_at


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"url": "javascript:alert(1)"}, "url"), ({"stance": "maybe"}, "stance"), ({"url": "not a url"}, "url")],
)
def test_evidence_edit_refuses_bad_input_and_changes_nothing(editor, revision, changes, field):
    claim = make_claim(revision, editor)
    evidence = services.evidence_add(actor=editor, claim=claim, url="https://www.sipri.org/fs", stance="supports")
    with pytest.raises(ValidationError) as error:
        services.evidence_update(actor=editor, evidence=evidence, **changes)
    assert field in error.value.message_dict
    assert Evidence.objects.get(pk=evidence.pk).url == "https://www.sipri.org/fs"


def test_remove_records_url_and_quote(editor, revision):
    claim = make_claim(revision, editor)
    evidence = services.evidence_add(
        actor=editor, claim=claim, url="https://www.sipri.org/fs", stance="refutes", quote="Russia was third"
    )
    services.evidence_remove(actor=editor, evidence=evidence)
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    entry = Activity.objects.get(claim=claim, action="evidence_removed")
    assert "https://www.sipri.org/fs" in entry.comment and "Russia was third" in entry.comment
    assert entry.actor == editor


@pytest.mark.parametrize(
    ("stage", "message"),
    [("in_review", "in review"), ("approved", "approved with this evidence"), ("published", "published")],
)
def test_evidence_of_a_claim_in_review_or_past_it_cannot_change(editor, reviewer, revision, rating, stage, message):
    claim = make_claim(revision, editor)
    evidence = services.evidence_add(actor=editor, claim=claim, url="https://www.sipri.org/fs", stance="supports")
    verdict = verdict_for(claim, editor, rating, submit=True)
    if stage in ("approved", "published"):
        verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    if stage == "published":
        services.verdict_publish(actor=reviewer, verdict=verdict)
    with pytest.raises(ValidationError, match=message):
        services.evidence_update(actor=reviewer, evidence=evidence, note="late")
    with pytest.raises(ValidationError, match=message):
        services.evidence_remove(actor=reviewer, evidence=evidence)
    assert Evidence.objects.get(pk=evidence.pk).note == ""


def test_users_without_a_role_cannot_edit_or_remove_evidence(editor, revision, django_user_model):
    nobody = django_user_model.objects.create_user("nobody")
    claim = make_claim(revision, editor)
    evidence = services.evidence_add(actor=editor, claim=claim, url="https://www.sipri.org/fs", stance="supports")
    with pytest.raises(PermissionDenied):
        services.evidence_update(actor=nobody, evidence=evidence, note="x")
    with pytest.raises(PermissionDenied):
        services.evidence_remove(actor=nobody, evidence=evidence)


# --- Unpublishing and correcting -------------------------------------------------------------------------------------


def test_non_author_reviewer_unpublishes_and_the_verdict_goes_back_for_review(
    editor, reviewer, reviewer2, revision, rating
):
    verdict = published(editor, reviewer, revision, rating)
    verdict = services.verdict_unpublish(actor=reviewer2, verdict=verdict, reason="The SIPRI figures were misread.")
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.CHANGES_REQUESTED
    assert verdict.claim.status == Claim.Status.CHANGES_REQUESTED
    assert verdict.unpublished_at is not None and verdict.unpublish_reason == "The SIPRI figures were misread."
    assert verdict.review_comment == "The SIPRI figures were misread." and verdict.reviewer == reviewer2
    entry = Activity.objects.get(verdict=verdict, action="verdict_unpublished")
    assert (entry.actor, entry.from_state, entry.to_state) == (reviewer2, "published", "changes_requested")

    # It passes review again; publishing clears the take-down.
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    verdict = services.verdict_approve(actor=reviewer2, verdict=verdict)
    verdict = services.verdict_publish(actor=reviewer2, verdict=verdict)
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PUBLISHED and verdict.unpublished_at is None


def test_the_approving_reviewer_may_unpublish(editor, reviewer, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    assert services.verdict_unpublish(actor=reviewer, verdict=verdict, reason="Wrong").unpublished_at


def test_author_cannot_unpublish_or_correct_own_fact_check(reviewer, reviewer2, revision, rating):
    verdict = published(reviewer, reviewer2, revision, rating)  # a reviewer wrote this one
    with pytest.raises(PermissionDenied, match="Two-person rule"):
        services.verdict_unpublish(actor=reviewer, verdict=verdict, reason="Mine")
    with pytest.raises(PermissionDenied, match="Two-person rule"):
        services.verdict_correct(actor=reviewer, verdict=verdict, note="Mine")
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PUBLISHED and not Correction.objects.exists()


def test_a_reviewer_who_edited_the_verdict_cannot_correct_it(editor, reviewer, reviewer2, revision, rating):
    claim = make_claim(revision, editor)
    verdict = verdict_for(claim, editor, rating)
    verdict = services.verdict_save(actor=reviewer2, claim=claim, rating=rating, explanation="Edited by rev2.")
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    verdict = services.verdict_publish(
        actor=reviewer, verdict=services.verdict_approve(actor=reviewer, verdict=verdict)
    )
    with pytest.raises(PermissionDenied, match="Two-person rule"):
        services.verdict_correct(actor=reviewer2, verdict=verdict, note="x")


def test_editor_cannot_unpublish_or_correct(editor, editor2, reviewer, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    for actor in (editor, editor2):
        with pytest.raises(PermissionDenied, match="Only reviewers"):
            services.verdict_unpublish(actor=actor, verdict=verdict, reason="x")
        with pytest.raises(PermissionDenied, match="Only reviewers"):
            services.verdict_correct(actor=actor, verdict=verdict, note="x")


def test_only_a_published_fact_check_is_unpublished_or_corrected(editor, reviewer, revision, rating):
    verdict = verdict_for(make_claim(revision, editor), editor, rating, submit=True)
    with pytest.raises(ValidationError, match="Only a published"):
        services.verdict_unpublish(actor=reviewer, verdict=verdict, reason="x")
    with pytest.raises(ValidationError, match="Only a published"):
        services.verdict_correct(actor=reviewer, verdict=verdict, note="x")


def test_unpublish_needs_a_reason_and_correct_a_note(editor, reviewer, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    with pytest.raises(ValidationError) as error:
        services.verdict_unpublish(actor=reviewer, verdict=verdict, reason="")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.verdict_correct(actor=reviewer, verdict=verdict, note=" ")
    assert "note" in error.value.message_dict
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.PUBLISHED


def test_correction_keeps_the_previous_rating_and_explanation(editor, reviewer, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    mostly = RatingFactory(scale=rating.scale, label="Mostly true", value=4)
    correction = services.verdict_correct(
        actor=reviewer,
        verdict=verdict,
        note="We misread the share: Russia had 7.8%, not 9.6%.",
        rating=mostly,
        explanation="Russia is third, with 7.8%.",
        version=verdict.version,
    )
    verdict.refresh_from_db()
    assert (verdict.rating, verdict.explanation) == (mostly, "Russia is third, with 7.8%.")
    assert verdict.status == Verdict.Status.PUBLISHED and verdict.corrected_at == correction.created_at
    assert (correction.previous_rating, correction.previous_explanation) == (rating, "SIPRI ranks Russia third.")
    assert correction.author == reviewer
    entry = Activity.objects.get(verdict=verdict, action="verdict_corrected")
    assert "7.8%" in entry.comment and "Mostly true" in entry.comment


def test_a_note_only_correction_keeps_rating_and_explanation(editor, reviewer, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    services.verdict_correct(actor=reviewer, verdict=verdict, note="Fixed a typo in the source name.")
    verdict.refresh_from_db()
    assert (verdict.rating, verdict.explanation) == (rating, "SIPRI ranks Russia third.")
    assert verdict.corrections.count() == 1


def test_correction_with_a_stale_version_is_a_conflict(editor, reviewer, reviewer2, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    stale = verdict.version
    services.verdict_correct(actor=reviewer, verdict=verdict, note="First.", version=stale)
    with pytest.raises(services.Conflict):
        services.verdict_correct(actor=reviewer2, verdict=verdict, note="Second.", version=stale)
    assert Correction.objects.count() == 1


def test_correction_refuses_a_rating_of_another_scale(editor, reviewer, revision, rating):
    from .factories import RatingScaleFactory

    verdict = published(editor, reviewer, revision, rating)
    other = RatingFactory(scale=RatingScaleFactory(name="Other"), label="Pants on fire")
    with pytest.raises(ValidationError) as error:
        services.verdict_correct(actor=reviewer, verdict=verdict, note="x", rating=other)
    assert "rating" in error.value.message_dict
