"""Each database constraint rejects the bad row it exists for."""

import hashlib

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations.models import (
    Activity,
    Article,
    ArticleRevision,
    Capture,
    Claim,
    Evidence,
    RatingScale,
    Source,
    Verdict,
)

from .factories import ArticleFactory, RatingFactory, RevisionFactory, SourceFactory

pytestmark = pytest.mark.django_db


def create_claim(revision, author, **overrides):
    fields = {
        "article": revision.article,
        "revision": revision,
        "start": 0,
        "end": 6,
        "exact": "Russia",
        "author": author,
    }
    fields.update(overrides)
    return Claim.objects.create(**fields)


def test_source_domain_is_unique_case_insensitively():
    SourceFactory(domain="sipri.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(name="Dup", domain="sipri.org")


def test_source_domain_must_be_lowercase_host():
    for bad in ["SIPRI.org", "", "sipri.org/path"]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Source.objects.create(name="Bad", domain=bad)


def test_article_url_is_unique_but_optional():
    ArticleFactory(url="https://a.example/1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(url="https://a.example/1")
    ArticleFactory(url=None)
    ArticleFactory(url=None)  # many articles without a URL are fine
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(url="")


def test_article_title_required():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(title="")


def test_revision_sha256_unique_per_article_and_well_formed():
    revision = RevisionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RevisionFactory(article=revision.article, number=2, text=revision.text)
    with pytest.raises(IntegrityError), transaction.atomic():
        RevisionFactory(article=revision.article, number=2, text="other", sha256="not-a-hash")
    # The same text in another article is fine.
    RevisionFactory(text=revision.text)


def test_revision_number_unique_per_article():
    revision = RevisionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RevisionFactory(article=revision.article, number=1, text="different text")


def test_revision_text_not_empty():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleRevision.objects.create(
            article=ArticleFactory(), number=1, text="", sha256=hashlib.sha256(b"").hexdigest(), origin="pasted"
        )


def test_claim_span_must_be_non_empty_and_forward(editor):
    revision = RevisionFactory()
    for start, end in [(5, 5), (6, 2)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            create_claim(revision, editor, start=start, end=end, exact="x" * max(0, end - start))


def test_claim_exact_length_must_match_span(editor):
    revision = RevisionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        create_claim(revision, editor, start=0, end=6, exact="Russi")
    assert create_claim(revision, editor).pk


def test_claim_orphaned_anchor_has_no_position(editor):
    revision = RevisionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        create_claim(revision, editor, anchor_revision=revision, anchor_state="orphaned", anchor_start=0, anchor_end=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        create_claim(revision, editor, anchor_revision=revision, anchor_state="moved")  # moved needs a position
    with pytest.raises(IntegrityError), transaction.atomic():
        create_claim(revision, editor, anchor_score=1.5)


def test_one_default_rating_scale():
    RatingScale.objects.create(name="A", is_default=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        RatingScale.objects.create(name="B", is_default=True)


def test_rating_labels_unique_per_scale():
    rating = RatingFactory(label="True")
    with pytest.raises(IntegrityError), transaction.atomic():
        RatingFactory(scale=rating.scale, label="True")


def test_one_verdict_per_claim(editor, rating):
    claim = create_claim(RevisionFactory(), editor)
    Verdict.objects.create(claim=claim, rating=rating, explanation="x", author=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(claim=claim, rating=rating, explanation="y", author=editor)


def test_database_refuses_self_review(reviewer, rating):
    claim = create_claim(RevisionFactory(), reviewer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(
            claim=claim,
            rating=rating,
            explanation="x",
            author=reviewer,
            reviewer=reviewer,
            status="approved",
            reviewed_at=timezone.now(),
        )


def test_approved_verdict_needs_reviewer_and_published_needs_date(editor, rating):
    claim = create_claim(RevisionFactory(), editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(claim=claim, rating=rating, explanation="x", author=editor, status="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(claim=claim, rating=rating, explanation="", author=editor)


def test_evidence_url_must_be_http(editor):
    claim = create_claim(RevisionFactory(), editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(claim=claim, url="javascript:alert(1)", stance="supports", author=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(
            claim=claim, url="https://x.example", stance="supports", author=editor, quote_status="found"
        )


def test_capture_done_needs_hash_and_failed_needs_reason():
    with pytest.raises(IntegrityError), transaction.atomic():
        Capture.objects.create(url="https://x.example", status="done", finished_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Capture.objects.create(url="https://x.example", status="failed")


def test_activity_is_append_only(editor):
    entry = Activity.objects.create(actor=editor, action="claim_created", to_state="draft")
    entry.comment = "rewritten history"
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()
    # Deleting a user only clears the actor.
    editor.delete()
    entry.refresh_from_db()
    assert entry.actor is None and entry.comment == ""


def test_source_for_article_is_kept_when_source_deleted():
    source = SourceFactory()
    article = Article.objects.create(title="T", outlet=source)
    source.delete()
    article.refresh_from_db()
    assert article.outlet is None
