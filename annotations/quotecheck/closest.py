"""The closest passage of a quote that is not faithful: edlib's loose hits (anchoring's error bound) compared by
word diff, for the whole quote and part by part, down to "not found" when too few words survive."""

from __future__ import annotations

import bisect
import itertools

from .. import anchoring, textnorm
from .diff import _diff, _items, _shown
from .faithful import _omission_problem
from .limits import EDGE_WORDS, MAX_CANDIDATES, MIN_KEPT_SHARE, OUT_OF_ORDER_CREDIT
from .result import DIFFERS, FOUND, NOT_FOUND_RESULT, QuoteCheck
from .words import _Document, _Word


def _locate(text: str, needle: str) -> list[tuple[int, int]]:
    """Character spans around the closest loose matches of ``needle`` in ``text`` (edlib, anchoring's error bound)."""
    needle = textnorm.normalise_quote(needle, loose=True)
    if len(needle) <= anchoring.SHORT_QUOTE_LEN:
        return []
    norm = textnorm.normalise(text, loose=True)
    found = anchoring._align(needle, norm.text, mode="HW", task="locations", k=anchoring._max_errors(needle))
    if found["editDistance"] < 0:
        return []
    spans, seen = [], set()
    # edlib picks one of the equally cheap starts (and ends): the words within the error bound around the hit may
    # belong to the passage too, so they are included for the word diff to decide.
    slack = found["editDistance"]
    for ns, ne in found["locations"]:
        if ns in seen:
            continue
        seen.add(ns)
        lo, hi = max(0, ns - slack), min(len(norm.text), ne + 1 + slack)
        spans.append(norm.original_span(lo, hi))
        if len(spans) == MAX_CANDIDATES:
            break
    return spans


def _word_range(doc: _Document, start: int, end: int, pad: int) -> tuple[int, int]:
    lo = bisect.bisect_right(doc.ends, start)
    hi = bisect.bisect_left(doc.starts, end)
    return max(0, lo - pad), min(len(doc.keys), hi + pad)


def _literal(items) -> str:
    return " ".join(item.key for item in items if isinstance(item, _Word))


def _closest(text: str, doc: _Document, parts) -> QuoteCheck:
    items = _items(parts)
    best = None
    for s, e in _locate(text, _literal(items)):
        differences, start, end, score = _diff(doc, items, *_word_range(doc, s, e, EDGE_WORDS))
        if end > start and (best is None or score > best.score):
            best = _result(doc, differences, start, end, score)
    if len(parts) > 1:
        # Parts far apart or out of order defeat a search for the whole quote: each is also looked for on its own,
        # and the reading with the shorter diff wins (the whole-quote search stays best for short parts, which
        # alone match all over a page).
        by_parts = _by_parts(text, doc, parts)
        if by_parts is not None and (best is None or _diff_size(by_parts) < _diff_size(best)):
            best = by_parts
    if best is None or best.score <= MIN_KEPT_SHARE:
        return NOT_FOUND_RESULT
    if best.status == DIFFERS and best.score >= 1.0:  # only a faithful quote scores 1
        return QuoteCheck(DIFFERS, best.start, best.end, best.differences, 0.99)
    return best


def _diff_size(check: QuoteCheck) -> tuple[int, int, float]:
    if check.score <= MIN_KEPT_SHARE:
        return (1 << 30, 0, 0.0)
    return len(check.differences), sum(len(a) + len(b) for a, b in check.differences), -check.score


def _result(doc: _Document, differences, start: int, end: int, score: float) -> QuoteCheck:
    span = (doc.starts[start], doc.ends[end - 1])
    if not differences:  # the passage the loose search found is faithful after all
        return QuoteCheck(FOUND, *span, (), 1.0)
    return QuoteCheck(DIFFERS, *span, tuple(differences), score)


def _by_parts(text: str, doc: _Document, parts) -> QuoteCheck | None:
    hits = {}
    for p, part in enumerate(parts):
        for s, e in _locate(text, _literal(part))[:1]:
            differences, start, end, score = _diff(doc, part, *_word_range(doc, s, e, EDGE_WORDS))
            if end > start:
                hits[p] = (start, end, differences, score)
    if not hits:
        return None
    sizes = [sum(isinstance(item, _Word) for item in part) for part in parts]
    kept, unkept = sum(hits[p][3] * sizes[p] for p in hits), 0
    score = kept / sum(sizes)
    in_source = sorted(hits, key=lambda p: hits[p][0])
    start, end = hits[in_source[0]][0], max(hit[1] for hit in hits.values())
    span = (doc.starts[start], doc.ends[end - 1])
    if in_source != sorted(in_source) or any(hits[a][1] > hits[b][0] for a, b in itertools.pairwise(in_source)):
        shown = " … ".join(_shown(parts[p]) for p in sorted(hits))
        source = " … ".join(doc.words(hits[p][0], hits[p][1]) for p in in_source)
        # Every word may be there, but not the statement they make in the quote's order.
        return QuoteCheck(DIFFERS, *span, ((shown, source),), score * OUT_OF_ORDER_CREDIT)
    differences: list[tuple[str, str]] = []
    previous = None
    for p, part in enumerate(parts):
        if p not in hits:
            differences.append((_shown(part), ""))  # nowhere near: the source does not say it
            continue
        if previous is not None and (problem := _omission_problem(doc, hits[previous][1], hits[p][0])):
            differences.append(("…", problem))
            unkept += 1  # the gap counts as one word the quote got wrong
        differences.extend(hits[p][2])
        previous = p
    if not differences:
        return QuoteCheck(FOUND, *span, (), 1.0)
    return QuoteCheck(DIFFERS, *span, tuple(differences), kept / (sum(sizes) + unkept))
