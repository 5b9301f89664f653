"""The workflow and its rules, through the service layer that the UI and the API share."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations import services
from annotations.models import Activity, Claim, Evidence, Verdict

from .factories import ARTICLE_TEXT, SourceFactory, add_evidence, make_claim

pytestmark = pytest.mark.django_db

QUOTE = "among the top five arms exporters in the world"


def submitted_verdict(revision, author, rating):
    claim = make_claim(revision, author)
    add_evidence(claim, author)
    verdict = services.verdict_save(actor=author, claim=claim, rating=rating, explanation="SIPRI ranks Russia third.")
    return services.verdict_submit(actor=author, verdict=verdict)


def test_claim_create_derives_context_from_stored_text(editor, revision):
    claim = make_claim(revision, editor)
    start = ARTICLE_TEXT.index(QUOTE)
    assert (claim.start, claim.end, claim.exact) == (start, start + len(QUOTE), QUOTE)
    assert claim.prefix == ARTICLE_TEXT[max(0, start - 32) : start] == "Russia continues to be "
    assert claim.suffix == ARTICLE_TEXT[start + len(QUOTE) : start + len(QUOTE) + 32]
    assert claim.status == Claim.Status.DRAFT and claim.anchor_revision == revision
    assert Activity.objects.filter(claim=claim, action="claim_created").count() == 1


@pytest.mark.parametrize(
    ("start", "end", "exact", "field"),
    [
        (0, 6, "Russie", "exact"),
        (5, 5, "", "selector"),
        (-1, 6, "Russia", "selector"),
        (0, 10_000, "Russia", "selector"),
        (6, 7, " ", "exact"),
    ],
)
def test_claim_create_refuses_mismatching_selectors(editor, revision, start, end, exact, field):
    with pytest.raises(ValidationError) as error:
        services.claim_create(actor=editor, revision=revision, start=start, end=end, exact=exact)
    assert field in error.value.message_dict
    assert not Claim.objects.exists()


def test_claim_create_checks_client_context(editor, revision):
    start = revision.text.index(QUOTE)
    with pytest.raises(ValidationError) as error:
        services.claim_create(
            actor=editor, revision=revision, start=start, end=start + len(QUOTE), exact=QUOTE, prefix="Ukraine is "
        )
    assert "prefix" in error.value.message_dict
    claim = services.claim_create(
        actor=editor,
        revision=revision,
        start=start,
        end=start + len(QUOTE),
        exact=QUOTE,
        prefix="continues to be ",
        suffix=", Russian",
    )
    assert claim.pk


def test_claim_reviewed_is_at_most_75_characters(editor, revision):
    start = revision.text.index(QUOTE)
    with pytest.raises(ValidationError) as error:
        services.claim_create(
            actor=editor, revision=revision, start=start, end=start + len(QUOTE), exact=QUOTE, claim_reviewed="x" * 76
        )
    assert "claim_reviewed" in error.value.message_dict


def test_anonymous_and_roleless_users_cannot_create_claims(revision, django_user_model):
    nobody = django_user_model.objects.create_user("nobody")
    with pytest.raises(PermissionDenied):
        make_claim(revision, nobody)


def test_full_workflow_records_every_transition(editor, reviewer, revision, rating):
    verdict = submitted_verdict(revision, editor, rating)
    assert verdict.status == Verdict.Status.IN_REVIEW and verdict.claim.status == Claim.Status.IN_REVIEW
    verdict = services.verdict_request_changes(actor=reviewer, verdict=verdict, comment="Add the 64% fall.")
    assert verdict.status == Verdict.Status.CHANGES_REQUESTED and verdict.review_comment == "Add the 64% fall."
    verdict = services.verdict_save(
        actor=editor,
        claim=verdict.claim,
        rating=rating,
        explanation="Third place; exports fell 64%.",
        version=verdict.version,
    )
    verdict = services.verdict_submit(actor=editor, verdict=verdict, version=verdict.version)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict, comment="Good.")
    assert verdict.status == Verdict.Status.APPROVED and verdict.reviewer == reviewer
    verdict = services.verdict_publish(actor=reviewer, verdict=verdict)
    assert verdict.status == Verdict.Status.PUBLISHED and verdict.published_at
    assert Claim.objects.get(pk=verdict.claim_id).status == Claim.Status.PUBLISHED
    history = list(Activity.objects.filter(verdict=verdict).values_list("action", "from_state", "to_state", "actor"))
    assert history == [
        ("verdict_created", "", "draft", editor.pk),
        ("verdict_submitted", "draft", "in_review", editor.pk),
        ("verdict_changes_requested", "in_review", "changes_requested", reviewer.pk),
        ("verdict_edited", "", "changes_requested", editor.pk),
        ("verdict_submitted", "changes_requested", "in_review", editor.pk),
        ("verdict_approved", "in_review", "approved", reviewer.pk),
        ("verdict_published", "approved", "published", reviewer.pk),
    ]


def test_a_claim_has_one_verdict_and_a_second_is_refused_by_name(editor, revision, rating):
    claim = make_claim(revision, editor)
    first = services.verdict_create(actor=editor, claim=claim, rating=rating, explanation="First.")
    assert Claim.objects.get(pk=claim.pk).verdict == first
    with pytest.raises(ValidationError) as refused:
        services.verdict_create(actor=editor, claim=claim, rating=rating, explanation="Second.")
    assert f"already has a verdict ({first.pk})" in refused.value.message_dict["claim"][0]
    assert Verdict.objects.get(claim=claim).explanation == "First."


def test_reviewer_cannot_approve_own_verdict(reviewer, revision, rating):
    verdict = submitted_verdict(revision, reviewer, rating)
    with pytest.raises(PermissionDenied, match="Two-person rule"):
        services.verdict_approve(actor=reviewer, verdict=verdict)
    with pytest.raises(PermissionDenied, match="Two-person rule"):
        services.verdict_request_changes(actor=reviewer, verdict=verdict, comment="self")
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.IN_REVIEW


def test_reviewer_who_edited_a_verdict_cannot_approve_it(editor, reviewer, reviewer2, revision, rating):
    claim = make_claim(revision, editor)
    add_evidence(claim, editor)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="First draft.")
    verdict = services.verdict_save(actor=reviewer, claim=claim, rating=rating, explanation="Reviewer's rewrite.")
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    with pytest.raises(PermissionDenied):
        services.verdict_approve(actor=reviewer, verdict=verdict)
    assert services.verdict_approve(actor=reviewer2, verdict=verdict).status == Verdict.Status.APPROVED


def test_admin_cannot_bypass_two_person_rule(admin_user, revision, rating):
    verdict = submitted_verdict(revision, admin_user, rating)
    with pytest.raises(PermissionDenied):
        services.verdict_approve(actor=admin_user, verdict=verdict)


def test_editor_cannot_approve_or_publish(editor, editor2, reviewer, revision, rating):
    verdict = submitted_verdict(revision, editor, rating)
    with pytest.raises(PermissionDenied):
        services.verdict_approve(actor=editor2, verdict=verdict)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    with pytest.raises(PermissionDenied):
        services.verdict_publish(actor=editor2, verdict=verdict)


def test_transitions_out_of_order_are_refused(editor, reviewer, revision, rating):
    claim = make_claim(revision, editor)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="x")
    with pytest.raises(ValidationError):
        services.verdict_approve(actor=reviewer, verdict=verdict)  # not submitted yet
    with pytest.raises(ValidationError):
        services.verdict_publish(actor=reviewer, verdict=verdict)  # not approved
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    with pytest.raises(ValidationError):
        services.verdict_submit(actor=editor, verdict=verdict)
    with pytest.raises(ValidationError):
        services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="edit while in review")
    with pytest.raises(ValidationError) as error:
        services.verdict_request_changes(actor=reviewer, verdict=verdict, comment="  ")
    assert "comment" in error.value.message_dict


def test_stale_version_gets_a_conflict_and_changes_nothing(editor, editor2, revision, rating):
    claim = make_claim(revision, editor)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Mine.")
    read_version = verdict.version
    services.verdict_save(actor=editor2, claim=claim, rating=rating, explanation="Theirs.", version=read_version)
    with pytest.raises(services.Conflict) as error:
        services.verdict_save(
            actor=editor, claim=claim, rating=rating, explanation="Mine again.", version=read_version
        )
    assert error.value.current_version == read_version + 1
    assert Verdict.objects.get(pk=verdict.pk).explanation == "Theirs."


def test_evidence_on_blocked_domain_is_refused(editor, revision):
    SourceFactory(domain="fakenews.example", blocked=True, name="Fake News")
    claim = make_claim(revision, editor)
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=editor, claim=claim, url="https://www.fakenews.example/x", stance="supports")
    assert "blocked" in error.value.message_dict["url"][0]
    assert not Evidence.objects.exists()


def test_evidence_links_registry_source_by_parent_domain(editor, revision):
    sipri = SourceFactory(domain="sipri.org")
    claim = make_claim(revision, editor)
    evidence = services.evidence_add(
        actor=editor, claim=claim, url="https://www.sipri.org/fact-sheet", stance="supports", quote=" q "
    )
    assert evidence.source == sipri and evidence.quote == "q"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example/a", "not a url", ""])
def test_evidence_refuses_non_http_urls(editor, revision, url):
    claim = make_claim(revision, editor)
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=editor, claim=claim, url=url, stance="supports")
    assert "url" in error.value.message_dict


def test_only_admins_manage_sources(editor, reviewer, admin_user):
    for user in (editor, reviewer):
        with pytest.raises(PermissionDenied):
            services.source_save(actor=user, name="X", domain="x.example")
    source = services.source_save(actor=admin_user, name="SIPRI", domain="https://www.SIPRI.org/about")
    assert source.domain == "sipri.org"
    with pytest.raises(ValidationError):
        services.source_save(actor=admin_user, name="Again", domain="sipri.org")
    services.source_save(actor=admin_user, source=source, blocked=True)
    source.refresh_from_db()
    assert source.blocked


def test_article_import_is_idempotent_and_versions_text(editor):
    first = services.article_import(actor=editor, title="T", text="One.", url="https://n.example/a", origin="pasted")
    again = services.article_import(actor=editor, title="T", text="One.", url="https://n.example/a", origin="pasted")
    assert first.article_created and not again.article_created and not again.revision_created
    newer = services.article_import(actor=editor, title="T", text="Two.", url="https://n.example/a", origin="pasted")
    assert newer.revision_created and newer.revision.number == 2 and newer.article == first.article
    assert first.article.revisions.count() == 2


def test_article_search_vector_covers_title_and_text(editor):
    from annotations.models import Article

    services.article_import(actor=editor, title="Arms exports", text="SIPRI data on weapons.", origin="pasted")
    assert Article.objects.filter(search_vector="weapon").count() == 1
    assert Article.objects.filter(search_vector="export").count() == 1
