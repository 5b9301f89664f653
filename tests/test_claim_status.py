"""A claim's status is its verdict's: PostgreSQL copies it (migration 0012), whichever path writes the verdict."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from annotations import services
from annotations.models import Claim, Verdict

from .factories import add_evidence, make_claim

pytestmark = pytest.mark.django_db


def status_of(claim: Claim) -> str:
    return Claim.objects.values_list("status", flat=True).get(pk=claim.pk)


def test_the_services_move_the_claim_only_through_its_verdict(editor, reviewer, revision, rating):
    claim = make_claim(revision, editor)
    add_evidence(claim, editor)
    verdict = services.verdict_create(actor=editor, claim=claim, rating=rating, explanation="True.")
    assert status_of(claim) == "draft"
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    # The caller's claim object shows the status the database gave it.
    assert verdict.claim.status == "in_review" == status_of(claim)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    assert verdict.claim.status == "approved" == status_of(claim)


def test_a_status_written_to_the_verdict_by_any_path_shows_in_the_claim(editor, reviewer, revision, rating):
    claim = make_claim(revision, editor)
    verdict = Verdict.objects.create(claim=claim, rating=rating, explanation="x", author=editor, status="in_review")
    assert status_of(claim) == "in_review"  # inserted with a status
    Verdict.objects.filter(pk=verdict.pk).update(status="changes_requested")  # a queryset update
    assert status_of(claim) == "changes_requested"
    with connection.cursor() as cursor:  # raw SQL, as psql or a data migration would
        cursor.execute(
            f"UPDATE {Verdict._meta.db_table} SET status = 'approved', reviewer_id = %s, reviewed_at = now() "
            "WHERE id = %s",
            [reviewer.pk, verdict.pk],
        )
    assert status_of(claim) == "approved"


def test_saving_a_verdict_without_a_new_status_leaves_the_claim_row_alone(editor, revision, rating):
    claim = make_claim(revision, editor)
    verdict = services.verdict_create(actor=editor, claim=claim, rating=rating, explanation="First.")
    before = Claim.objects.values_list("updated_at", flat=True).get(pk=claim.pk)
    services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Second.", version=verdict.version)
    assert Claim.objects.values_list("updated_at", flat=True).get(pk=claim.pk) == before
    Verdict.objects.filter(pk=verdict.pk).update(status="in_review")
    assert Claim.objects.values_list("updated_at", flat=True).get(pk=claim.pk) > before  # a change moves it


def test_deleting_the_verdict_returns_the_claim_to_draft(editor, revision, rating):
    claim = make_claim(revision, editor)
    verdict = Verdict.objects.create(claim=claim, rating=rating, explanation="x", author=editor, status="in_review")
    assert status_of(claim) == "in_review"
    verdict.delete()
    assert status_of(claim) == "draft"
    again = Verdict.objects.create(claim=claim, rating=rating, explanation="y", author=editor, status="in_review")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Verdict._meta.db_table} WHERE id = %s", [again.pk])
    assert status_of(claim) == "draft"


def test_a_verdict_moved_to_another_claim_takes_its_status_along(editor, revision, rating):
    first, second = make_claim(revision, editor), make_claim(revision, editor, "Vladimir Putin")
    verdict = Verdict.objects.create(claim=first, rating=rating, explanation="x", author=editor, status="in_review")
    Verdict.objects.filter(pk=verdict.pk).update(claim=second)
    assert (status_of(first), status_of(second)) == ("draft", "in_review")


def test_a_withdrawn_claim_cannot_be_published_through_its_verdict(editor, reviewer, revision, rating):
    claim = make_claim(revision, editor)
    verdict = Verdict.objects.create(claim=claim, rating=rating, explanation="x", author=editor)
    services.claim_withdraw(actor=editor, claim=claim, reason="Duplicate.")
    # The claim's own check constraint (withdrawn, never published) holds against the copied status too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.filter(pk=verdict.pk).update(
            status="published", reviewer=reviewer, reviewed_at=timezone.now(), published_at=timezone.now()
        )
    assert status_of(claim) == "draft"
