"""schema.org ClaimReview for a published verdict: the document the public page embeds and the API exports.

Google's fact-check fields: claimReviewed, reviewRating (alternateName; ratingValue, bestRating, worstRating) and url
are required; author (an Organization), datePublished and itemReviewed (a Claim with author, datePublished and
appearance) are recommended.

A claim an editor linked as the same claim as another fact-check (ours or another desk's, corpus_links.same_as)
names that fact-check in `itemReviewed.sameAs`: schema.org's sameAs (any Thing) is the URL of a page that
unambiguously tells which item this is, and the other fact-check's page does tell which claim. `isBasedOn` is not
used: it would say our review derives from theirs, which a match does not establish.
"""

from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse

from . import corpus_links
from .models import CLAIM_REVIEWED_MAX, Verdict


def public_url(verdict: Verdict) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("public_factcheck", args=[verdict.claim_id])


def scale_bounds(scale_id: int) -> tuple[int | None, int | None]:
    bounds = Verdict.rating.field.related_model.objects.filter(scale_id=scale_id).aggregate(
        worst=Min("value"), best=Max("value")
    )
    return bounds["worst"], bounds["best"]


def short_claim(claim) -> str:
    """claimReviewed: the short statement, or for a legacy claim without one its quote cut at a word boundary.

    Google wants a short claim; a verdict can no longer be published without a statement, but older ones were.
    """
    statement = " ".join((claim.claim_reviewed or "").split())
    if statement:
        return statement[:CLAIM_REVIEWED_MAX]
    quote = " ".join(claim.exact.split())
    if len(quote) <= CLAIM_REVIEWED_MAX:
        return quote
    cut = quote[: CLAIM_REVIEWED_MAX - 1]  # room for the ellipsis
    if quote[CLAIM_REVIEWED_MAX - 1] != " " and " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-—–") + "…"


def claim_review(verdict: Verdict, bounds: tuple[int | None, int | None] | None = None) -> dict:
    """The ClaimReview JSON-LD of a published verdict. Pass `bounds` (worst, best) to save a query per verdict."""
    claim = verdict.claim
    article = claim.article
    rating = verdict.rating
    worst, best = bounds if bounds is not None else scale_bounds(rating.scale_id)
    review_rating = {"@type": "Rating", "alternateName": rating.label}
    if rating.value is not None and worst is not None and best is not None:
        review_rating.update(ratingValue=rating.value, bestRating=best, worstRating=worst)
    appearance = {"@type": "CreativeWork", "headline": article.title}
    if article.url:
        appearance["url"] = article.url
    if article.published_date:
        appearance["datePublished"] = article.published_date.isoformat()
    item = {"@type": "Claim", "appearance": appearance}
    if claim.claimant:
        item["author"] = {"@type": "Person", "name": claim.claimant}
    elif article.outlet_id:
        item["author"] = {"@type": "Organization", "name": article.outlet.name}
    if article.published_date:
        item["datePublished"] = article.published_date.isoformat()
    if same_as := corpus_links.same_as_url(claim):
        item["sameAs"] = same_as
    document = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": public_url(verdict),
        "claimReviewed": short_claim(claim),
        "reviewRating": review_rating,
        "itemReviewed": item,
        "author": {
            "@type": "Organization",
            "name": settings.FACTCHECK_ORGANIZATION_NAME,
            "url": settings.FACTCHECK_ORGANIZATION_URL,
        },
    }
    if verdict.published_at:
        document["datePublished"] = verdict.published_at.date().isoformat()
    if verdict.corrected_at:
        document["dateModified"] = verdict.corrected_at.isoformat()
    return document
