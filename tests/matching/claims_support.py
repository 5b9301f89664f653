"""The corpus beside our claims, for the same-claim and flag tests: another desk's fact-checks and our own."""

from matching import services
from matching.claimreview_parse import parse
from matching.models import FactCheck

from .support import claim_review, data_feed, dumps


def imported(*statements: tuple[str, str], start: int = 1) -> list[FactCheck]:
    """Other desks' fact-checks of these (statement, headline) pairs, imported as a feed file would be."""
    reviews = [
        claim_review(number, claimReviewed=statement, headline=headline)
        for number, (statement, headline) in enumerate(statements, start=start)
    ]
    services.factchecks_import(actor=None, items=parse(dumps(data_feed(*reviews))).items)
    urls = [review["url"] for review in reviews]
    return sorted(FactCheck.objects.filter(url__in=urls), key=lambda row: urls.index(row.url))


def own(verdict) -> FactCheck:
    """Our own published fact-check of `verdict` in the corpus, as the sync of our verdicts keeps it (matching.signals
    writes it when the verdict is published)."""
    return FactCheck.objects.get(claim_id=verdict.claim_id, origin=FactCheck.Origin.OWN)
