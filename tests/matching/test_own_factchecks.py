"""Our own published verdicts in the corpus: kept in step with publishing, corrections, unpublishing, withdrawal."""

from io import StringIO

import pytest
from django.core.management import call_command

from annotations import services as desk
from annotations.claimreview import public_url
from annotations.models import Rating, Verdict
from matching import services
from matching.claimreview_parse import parse
from matching.models import FactCheck
from tests.api_support import client_for, make_published
from tests.factories import RatingFactory, SourceFactory

from .support import claim_review, dumps

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(editor, reviewer, revision, rating):
    RatingFactory(scale=rating.scale, label="False", value=1)  # the scale runs from 1 to 5
    return make_published(editor, reviewer, revision, rating)


def own_row(verdict) -> FactCheck:
    return FactCheck.objects.get(claim_id=verdict.claim_id)


def test_publishing_puts_the_fact_check_in_the_corpus_as_its_claimreview_says(published, rating):
    row = own_row(published)
    assert row.origin == "own" and row.feed is None
    assert row.url == public_url(published)
    assert row.claim_reviewed == "Russia is among the top five arms exporters"
    assert (row.rating_name, row.rating_value, row.rating_best, row.rating_worst) == (rating.label, 5, 5, 1)
    assert row.date_published == published.published_at.date()
    assert row.claimant == "Vladimir Putin"
    assert row.appearance_urls == [published.claim.article.url]
    assert row.language == "en"
    assert row.search is not None


def test_drafts_and_reviews_are_not_in_the_corpus(editor, reviewer, revision, rating):
    from tests.api_support import make_claim

    claim = make_claim(editor, revision, claim_reviewed="Russia is among the top five")
    desk.evidence_add(actor=editor, claim=claim, url="https://www.sipri.org/x", stance="supports", quote="third")
    verdict = desk.verdict_save(actor=editor, claim=claim, rating=rating, explanation="True.")
    verdict = desk.verdict_submit(actor=editor, verdict=verdict)
    desk.verdict_approve(actor=reviewer, verdict=verdict)
    assert not FactCheck.objects.exists()


def test_a_correction_updates_the_rating(published, reviewer2, rating):
    false = Rating.objects.get(scale=rating.scale, label="False")
    desk.verdict_correct(actor=reviewer2, verdict=published, note="We misread the table.", rating=false)
    row = own_row(published)
    assert (row.rating_name, row.rating_value) == ("False", 1)
    assert FactCheck.objects.count() == 1


def test_unpublishing_removes_it_and_publishing_again_brings_it_back(published, editor, reviewer2):
    verdict = desk.verdict_unpublish(actor=reviewer2, verdict=published, reason="The figures were misread.")
    assert not FactCheck.objects.exists()
    desk.claim_update(actor=editor, claim=verdict.claim, claimant="Vladimir Putin", claim_reviewed="Russia is third")
    verdict = desk.verdict_submit(actor=editor, verdict=verdict)
    verdict = desk.verdict_approve(actor=reviewer2, verdict=verdict)
    verdict = desk.verdict_publish(actor=reviewer2, verdict=verdict)
    assert own_row(verdict).claim_reviewed == "Russia is third"


def test_a_withdrawn_claim_is_not_in_the_corpus(published, editor, reviewer2):
    verdict = desk.verdict_unpublish(actor=reviewer2, verdict=published, reason="A duplicate.")
    desk.claim_withdraw(actor=reviewer2, claim=verdict.claim, reason="Duplicate of another claim.")
    assert not FactCheck.objects.exists()
    assert services.own_factchecks_resync() == {"created": 0, "updated": 0, "removed": 0}


def test_a_renamed_rating_an_outlet_and_a_deleted_claim_are_followed(published, rating, revision, editor):
    rating.label = "Accurate"
    rating.save()
    assert own_row(published).rating_name == "Accurate"
    RatingFactory(scale=rating.scale, label="Beyond", value=9)  # the scale's best value moves
    assert own_row(published).rating_best == 9
    claim = published.claim  # without a claimant, the claim's author is the article's outlet
    claim.claimant = ""
    claim.save(update_fields=["claimant"])
    outlet = SourceFactory(name="Kremlin press office", domain="kremlin.example")
    article = claim.article
    article.outlet = outlet
    article.save()
    assert own_row(published).claimant == "Kremlin press office"
    outlet.name = "Press office of the Kremlin"
    outlet.save()
    assert own_row(published).claimant == "Press office of the Kremlin"
    claim.delete()
    assert not FactCheck.objects.exists()


def test_an_imported_copy_of_our_fact_check_is_taken_over_when_we_publish(
    editor, reviewer, revision, rating, settings
):
    from tests.api_support import make_claim

    claim = make_claim(editor, revision)
    copy = claim_review(1, url=settings.SITE_URL.rstrip("/") + f"/fact-checks/{claim.pk}/")  # another desk's copy
    result = services.factchecks_import(actor=None, items=parse(dumps(copy)).items)
    assert result.created == 1
    desk.evidence_add(actor=editor, claim=claim, url="https://www.sipri.org/x", stance="supports", quote="third")
    verdict = desk.verdict_save(actor=editor, claim=claim, rating=rating, explanation="True.")
    verdict = desk.verdict_approve(actor=reviewer, verdict=desk.verdict_submit(actor=editor, verdict=verdict))
    verdict = desk.verdict_publish(actor=reviewer, verdict=verdict)
    row = FactCheck.objects.get()
    assert row.origin == "own" and row.claim_id == claim.pk and row.publisher_name != "Checker"


def test_imports_never_overwrite_our_own_fact_checks(published):
    before = own_row(published)
    ours = claim_review(1, url=public_url(published), claimReviewed="Someone else's wording")
    result = services.factchecks_import(actor=None, items=parse(dumps(ours)).items)
    assert (result.created, result.updated, result.skipped) == (0, 0, 1)
    assert own_row(published).claim_reviewed == before.claim_reviewed


def test_importing_our_own_public_feed_gives_the_rows_the_sync_keeps(published):
    """Another Factcheck subscribing to /api/claimreviews/ gets what our corpus holds for our own fact-checks."""
    ours = FactCheck.objects.values(*[f for f in services.importing.WRITTEN if f not in ("origin", "feed_id")])
    expected = list(ours)
    response = client_for().get("/api/claimreviews/")
    parsed = parse(response.content, content_type=response["Content-Type"])
    assert services.factchecks_import(actor=None, items=parsed.items).skipped == 1  # ours already
    FactCheck.objects.all().delete()  # as the other desk's corpus would start
    result = services.factchecks_import(actor=None, items=parsed.items)
    assert (result.created, result.errors) == (1, [])
    assert list(ours) == expected


def test_resync_repairs_what_no_signal_announced(published, editor, reviewer, revision, rating, settings):
    row = own_row(published)
    FactCheck.objects.filter(pk=row.pk).update(claim_reviewed="Stale", rating_name="Stale")
    stray_claim = published.claim
    other = make_published(editor, reviewer, revision, rating, quote="Putin underscored")
    Verdict.objects.filter(pk=other.pk).update(status="changes_requested")  # a bulk update: no signal
    settings.SITE_URL = "https://desk.example"  # and the site moved
    assert services.own_factchecks_resync() == {"created": 0, "updated": 1, "removed": 1}
    row = own_row(published)
    assert row.claim_reviewed == "Russia is among the top five arms exporters" and row.claim_id == stray_claim.pk
    assert row.url == f"https://desk.example/fact-checks/{stray_claim.pk}/"
    assert not FactCheck.objects.filter(claim_id=other.claim_id).exists()
    out = StringIO()
    call_command("sync_own_factchecks", stdout=out)
    assert out.getvalue().strip() == "0 created, 0 updated, 0 removed"
