"""Claims that a new selection overlaps or repeats, so that the same sentence is not claimed twice without a word.

An overlap is a warning, not a refusal: two claims in one sentence are often right ("X said A and B"). The reader
shows it before the claim is made (reader.js, from the highlights' offsets); the server checks again, because the
page may be older than a colleague's claim, and creates the claim once the user has seen every overlapping one.
The same goes for a claim elsewhere in the article that says the same (repeats.py).
"""

from dataclasses import dataclass

from .models import ArticleRevision, Claim
from .repeats import repeats_in_article


def overlapping_claims(revision: ArticleRevision, start: int, end: int) -> list[Claim]:
    """The claims shown on `revision` (not withdrawn) whose highlight shares a character with [start, end)."""
    claims = list(
        Claim.objects.filter(
            article_id=revision.article_id,
            anchor_revision=revision,
            anchor_start__lt=end,
            anchor_end__gt=start,
            withdrawn_at__isnull=True,
        )
        .only("pk", "claim_reviewed", "exact", "anchor_start", "anchor_end", "status")
        .order_by("anchor_start", "pk")
    )
    for claim in claims:
        claim.same_text = (claim.anchor_start, claim.anchor_end) == (start, end)
    return claims


def seen_ids(values: list[str]) -> set[int]:
    """The claim ids the form said it warned about (posted as `overlaps`); anything else is ignored."""
    return {int(value) for value in values if value.isdigit() and len(value) < 19}


def unseen(claims: list[Claim], seen: set[int]) -> bool:
    return any(claim.pk not in seen for claim in claims)


@dataclass(frozen=True)
class SelectionWarnings:
    overlapping: list[Claim]
    repeated: list[Claim]

    def unseen(self, seen: set[int]) -> bool:
        return unseen(self.overlapping + self.repeated, seen)

    @property
    def message(self) -> str:
        if self.overlapping and self.repeated:
            return "Not created yet: see the claims it overlaps and repeats, above."
        if self.repeated:
            return "Not created yet: it repeats a claim already made in this article, see above."
        return "Not created yet: see the claims it overlaps, above."


def selection_warnings(revision: ArticleRevision, selection: dict, statement: str) -> SelectionWarnings:
    """The claims a new claim (its selection on `revision` and its short statement) overlaps, and those elsewhere
    in the article that it repeats."""
    overlapping = overlapping_claims(revision, selection["start"], selection["end"])
    texts = [selection["exact"], statement]
    repeated = repeats_in_article(revision.article_id, texts, exclude=[claim.pk for claim in overlapping])
    return SelectionWarnings(overlapping, repeated)
