"""ClaimReview never carries a long claimReviewed: the short statement, or a word-boundary cut of the quote."""

import pytest

from annotations.claimreview import short_claim
from annotations.models import CLAIM_REVIEWED_MAX, Claim

LONG = (
    "Russia continues to be among the top five arms exporters in the world, Russian President Vladimir Putin said "
    "on Friday at a meeting of the commission."
)


def claim(exact, claim_reviewed=""):
    return Claim(exact=exact, claim_reviewed=claim_reviewed)


def test_the_short_statement_is_used_when_there_is_one():
    assert short_claim(claim(LONG, "Russia is among the top five arms exporters")) == (
        "Russia is among the top five arms exporters"
    )


def test_a_legacy_long_quote_is_cut_at_a_word_boundary_with_an_ellipsis():
    cut = short_claim(claim(LONG))
    assert len(cut) <= CLAIM_REVIEWED_MAX
    assert cut == "Russia continues to be among the top five arms exporters in the world…"
    assert LONG.startswith(cut[:-1])


@pytest.mark.parametrize("length", range(60, 160, 7))
def test_the_cut_never_exceeds_the_limit_nor_splits_a_word(length):
    text = ("word " * 40)[:length].strip() + " end"
    cut = short_claim(claim(text))
    assert len(cut) <= CLAIM_REVIEWED_MAX
    if cut.endswith("…"):
        assert all(part == "word" for part in cut[:-1].split())


def test_a_short_quote_and_an_unbroken_long_word_are_handled():
    assert short_claim(claim("Prices rose  7%\nlast year.")) == "Prices rose 7% last year."
    assert short_claim(claim("x" * 200)) == "x" * 74 + "…"


@pytest.mark.django_db
def test_a_published_legacy_claim_without_a_statement_exports_the_cut(editor, reviewer, rating):
    from .api_support import client_for, make_published
    from .factories import RevisionFactory

    revision = RevisionFactory(text=LONG)
    verdict = make_published(editor, reviewer, revision, rating, quote=LONG)
    Claim.objects.filter(pk=verdict.claim_id).update(claim_reviewed="")  # as rows published before the rule
    document = client_for().get(f"/api/claimreviews/{verdict.claim_id}/").json()
    assert document["claimReviewed"] == "Russia continues to be among the top five arms exporters in the world…"
