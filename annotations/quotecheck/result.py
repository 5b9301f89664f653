"""What a quote check answers: its three statuses and the QuoteCheck result (the passage, the changes, the score)."""

from __future__ import annotations

from dataclasses import dataclass

FOUND, DIFFERS, NOT_FOUND = "found", "differs", "not_found"


@dataclass(frozen=True)
class QuoteCheck:
    status: str  # FOUND, DIFFERS or NOT_FOUND
    start: int | None  # the passage in ``text``: the whole quoted stretch, omitted words included
    end: int | None
    differences: tuple[tuple[str, str], ...] = ()  # (quote words, source words) per changed stretch; "" = none
    score: float = 0.0  # words that agree / (quote words + passage words): 1.0 when found, 0.0 when not found


NOT_FOUND_RESULT = QuoteCheck(NOT_FOUND, None, None, (), 0.0)
