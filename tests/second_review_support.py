"""A claim in review under blind second review: its author wrote the verdict, a reviewer is assigned, and a second
checker is chosen; shared by the second review tests."""

from annotations import services

from .factories import RatingFactory, add_evidence, make_claim


def claim_in_review(revision, author, rating, quote="among the top five arms exporters in the world"):
    claim = make_claim(revision, author, quote, claimant="Vladimir Putin")
    add_evidence(claim, author)
    verdict = services.verdict_save(actor=author, claim=claim, rating=rating, explanation="SIPRI ranks it third.")
    services.verdict_submit(actor=author, verdict=verdict)
    return claim


def blind_claim(revision, author, reviewer, second, rating):
    """A claim in review that needs a second rating, `reviewer` assigned to review it, `second` asked to rate it."""
    claim = claim_in_review(revision, author, rating)
    services.assign(actor=reviewer, claim=claim, checker=author, reviewer=reviewer)
    services.second_review_switch(actor=reviewer, claim=claim, required=True)
    services.second_checker_assign(actor=reviewer, claim=claim, checker=second)
    claim.refresh_from_db()
    return claim


def other_rating(rating):
    return RatingFactory(scale=rating.scale, label="Mostly false", value=2)
