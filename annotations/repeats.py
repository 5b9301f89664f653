"""Claims of one article that repeat each other: the same (or nearly the same) quote or short statement, elsewhere.

Overlaps (overlaps.py) catch a selection on a claim's own words; a repeat is the same statement made again at
another place of the article (a sentence quoted twice, a summary repeating the lead). Like an overlap it is a
warning, never a refusal: the reader says so before a claim is made (reader.js compares the selection with the
highlighted claims; the server compares quote and statement again when the form is posted, and creates the claim
once the user has seen every repeat) and on the panel of a claim that has one.

"Nearly the same" is a comparison of words (letters and digits, lower-cased): the same words, or, for four words or
more, three in four words in common (one word changed in a sentence of seven). reader.js mirrors it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .models import Claim

MIN_WORDS = 3  # "Russia" claimed twice is two claims about Russia, not a repeated statement
MIN_WORDS_NEAR = 4
NEAR = 0.75  # words in common over words in either (Jaccard)
_NOT_A_WORD = re.compile(r"[\W_]+")


def words(text: str) -> list[str]:
    return [word for word in _NOT_A_WORD.split((text or "").lower()) if word]


def nearly_same(a: str, b: str) -> bool:
    first, second = words(a), words(b)
    if min(len(first), len(second)) < MIN_WORDS:
        return False
    if first == second:
        return True
    if min(len(first), len(second)) < MIN_WORDS_NEAR:
        return False
    one, other = set(first), set(second)
    return len(one & other) / len(one | other) >= NEAR


def texts_of(claim: Claim) -> list[str]:
    return [text for text in (claim.exact, claim.claim_reviewed) if text]


def repeats(texts: Iterable[str], others: Iterable[Claim], *, exclude: Iterable[int] = ()) -> list[Claim]:
    """The claims among `others` (withdrawn ones left out) whose quote or statement nearly repeats one of `texts`."""
    texts, excluded = [text for text in texts if text], set(exclude)
    return [
        other
        for other in others
        if other.pk not in excluded
        and not other.is_withdrawn
        and any(nearly_same(text, theirs) for text in texts for theirs in texts_of(other))
    ]


def repeats_in_article(article_id: int, texts: Iterable[str], *, exclude: Iterable[int] = ()) -> list[Claim]:
    """The article's claims in play that repeat one of `texts` (a new claim's quote and statement)."""
    others = Claim.objects.filter(article_id=article_id, withdrawn_at__isnull=True).only(
        "pk", "claim_reviewed", "exact", "withdrawn_at", "status"
    )
    return repeats(texts, others.order_by("start", "pk"), exclude=exclude)
