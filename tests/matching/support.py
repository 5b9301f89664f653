"""ClaimReview documents for the corpus tests, in the shapes other desks publish."""

import json


def claim_review(number: int = 1, **overrides) -> dict:
    """A complete ClaimReview, as Google's fact-check markup documents it; `overrides` replace (None removes)."""
    document = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://checker.example/fact-checks/{number}",
        "claimReviewed": f"Claim number {number} about arms exports doubled last year",
        "headline": f"No, arms exports did not double ({number})",
        "datePublished": "2024-03-05",
        "author": {"@type": "Organization", "name": "Checker", "url": "https://checker.example/"},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "False",
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "A. Politician"},
            "datePublished": "2024-03-01",
            "appearance": {"@type": "CreativeWork", "url": f"https://social.example/posts/{number}"},
        },
        "inLanguage": "en",
    }
    for name, value in overrides.items():
        if value is None:
            document.pop(name, None)
        else:
            document[name] = value
    return document


def data_feed(*reviews: dict) -> dict:
    """A schema.org DataFeed of DataFeedItems, one ClaimReview in each item (Google's Fact Check Tools shape)."""
    return {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [{"@type": "DataFeedItem", "item": [review]} for review in reviews],
    }


def html_page(*blocks) -> bytes:
    scripts = "".join(f'<script type="application/ld+json">{json.dumps(block)}</script>' for block in blocks)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Fact-check</title>{scripts}</head>"
        "<body><article><h1>No, exports did not double</h1><p>Text.</p></article></body></html>"
    ).encode()


def dumps(value) -> bytes:
    return json.dumps(value).encode()
