"""Re-anchor quoted passages (W3C TextQuoteSelector + TextPositionSelector) on changed text.

Pure Python plus edlib, no Django: the same matcher re-attaches highlighted claims to a new revision of an
article and finds evidence quotes inside fetched source pages. Offsets are Python ``str`` indices (code points),
the same unit the selectors are stored in.

The approach follows the Hypothesis client (anchoring/match-quote.ts): prefer the stored position, then exact
occurrences ranked by context, then approximate occurrences scored by weighted quote/prefix/suffix/position
similarity. A minimum score turns "nothing convincing" into ``None`` so that a deleted claim is orphaned instead of
silently attaching to a look-alike sentence.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

import edlib

from .textnorm import normalise, normalise_quote

# Below this score a candidate is more likely a look-alike than the edited original; chosen so that a near-verbatim
# sentence with unrelated context (~0.7) is rejected while a quote with 5% of its characters edited (~0.87+) is kept;
# at 20% random edits some true matches fall below it and are orphaned, which is the safer failure for a fact-check.
MIN_SCORE = 0.8
# Quotes this short match all over a document, so approximate matching would only produce noise.
SHORT_QUOTE_LEN = 3
# Exact occurrences shorter than this are not trusted on their own: the context must agree too.
DISTINCTIVE_LEN = 12
# An exact occurrence scoring this high has agreeing context; searching further cannot find anything better.
CONFIDENT_SCORE = 0.9
MAX_ERRORS = 256
# How far from the hint the quote may have drifted and still be found by the cheap windowed search.
WINDOW_PAD = 256
MAX_APPROX_CANDIDATES = 16
# Above this many exact occurrences only the best by cheap context agreement get the full (edlib) scoring.
MAX_SCORED_EXACT = 8
# Diff blocks whose length product exceeds this are mapped proportionally instead of aligned character by character.
ALIGN_BUDGET = 4_000_000
# Quotes that must be looked for away from their old offset before anchor_many builds a diff of the revisions.
MAP_AFTER_MISSES = 32

QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT, POSITION_WEIGHT = 50.0, 20.0, 20.0, 2.0
_TOTAL_WEIGHT = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    score: float
    exact: bool


@dataclass(frozen=True)
class Selector:
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


# --------------------------------------------------------------------------------------------------- edlib wrappers


def _align(query: str, target: str, **kwargs) -> dict:
    try:
        return edlib.align(query, target, **kwargs)
    except ValueError:
        # edlib refuses more than 256 distinct symbols. Characters absent from the query can only ever mismatch, so
        # collapsing them all into one symbol keeps every distance and offset unchanged.
        query_chars = set(query)
        filler = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in query_chars)
        table = {ord(c): filler for c in set(target) - query_chars}
        return edlib.align(query, target.translate(table), **kwargs)


def _anchored_similarity(expected: str, actual: str) -> float:
    """Similarity of ``actual``'s beginning to ``expected`` (1.0 identical, 0.0 nothing in common)."""
    if not expected:
        return 1.0
    if not actual:
        return 0.0
    # SHW anchors the start of both strings and lets the surplus tail of ``actual`` go free, so shifted-but-present
    # context still scores well while the alignment stays glued to the quote boundary.
    distance = _align(expected, actual, mode="SHW", task="distance")["editDistance"]
    return max(0.0, 1.0 - distance / len(expected))


def _max_errors(quote: str) -> int:
    return min(len(quote) // 4, MAX_ERRORS)


# ----------------------------------------------------------------------------------------------------------- scoring


def _prefix_score(text: str, start: int, prefix: str) -> float:
    if not prefix:
        return 1.0
    before = text[max(0, start - len(prefix) - len(prefix) // 4) : start]
    # Compare reversed strings so that the alignment is glued to the quote's start, not to the prefix's start.
    return _anchored_similarity(prefix[::-1], before[::-1])


def _suffix_score(text: str, end: int, suffix: str) -> float:
    if not suffix:
        return 1.0
    return _anchored_similarity(suffix, text[end : end + len(suffix) + len(suffix) // 4])


def _score(text: str, start: int, end: int, quote_score: float, prefix: str, suffix: str, hint: int | None) -> float:
    position_score = 1.0 if hint is None else 1.0 - abs(start - hint) / max(len(text), 1)
    raw = (
        QUOTE_WEIGHT * quote_score
        + PREFIX_WEIGHT * _prefix_score(text, start, prefix)
        + SUFFIX_WEIGHT * _suffix_score(text, end, suffix)
        + POSITION_WEIGHT * position_score
    )
    return raw / _TOTAL_WEIGHT


def _common_prefix_len(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _context_agreement(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """Cheap pre-ranking: how many context characters agree verbatim on either side."""
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    return _common_prefix_len(before[::-1], prefix[::-1]) + _common_prefix_len(after, suffix)


# ------------------------------------------------------------------------------------------------------ exact search


def _occurrences(text: str, needle: str) -> list[int]:
    found, pos = [], text.find(needle)
    while pos != -1:
        found.append(pos)
        pos = text.find(needle, pos + 1)
    return found


def _best_exact(text: str, exact: str, prefix: str, suffix: str, hint: int | None) -> Match | None:
    starts = _occurrences(text, exact)
    if not starts:
        return None
    n = len(exact)
    ranked = sorted(
        starts,
        key=lambda s: (-_context_agreement(text, s, s + n, prefix, suffix), 0 if hint is None else abs(s - hint)),
    )
    top = ranked[:MAX_SCORED_EXACT]
    scored = [Match(s, s + n, _score(text, s, s + n, 1.0, prefix, suffix, hint), True) for s in top]
    return max(scored, key=lambda m: m.score)


def _hint_match(text: str, exact: str, prefix: str, suffix: str, hint: int | None) -> Match | None:
    if hint is None or hint < 0 or text[hint : hint + len(exact)] != exact:
        return None
    end = hint + len(exact)
    # A verbatim copy of the quote can sit at the old offset by coincidence; some agreeing context rules that out.
    wanted = min(len(prefix), 4) + min(len(suffix), 4)
    if _context_agreement(text, hint, end, prefix, suffix) >= wanted:
        return Match(hint, end, 1.0, True)
    return None


# ------------------------------------------------------------------------------------------------ normalised search


def _best_normalised(text: str, exact: str, prefix: str, suffix: str, hint: int | None, loose: bool) -> Match | None:
    needle = normalise_quote(exact, loose)
    if not needle:
        return None
    norm = normalise(text, loose)
    best = None
    for ns in _occurrences(norm.text, needle)[:MAX_SCORED_EXACT]:
        start, end = norm.original_span(ns, ns + len(needle))
        # Presentation-only differences are not edits of the claim, so they cost little.
        score = _score(text, start, end, 0.98, prefix, suffix, hint)
        if best is None or score > best.score:
            best = Match(start, end, score, text[start:end] == exact)
    return best


# ---------------------------------------------------------------------------------------------- approximate search


def _approx_in(text: str, lo: int, hi: int, exact: str, prefix: str, suffix: str, hint: int | None) -> Match | None:
    if hi <= lo:
        return None
    found = _align(exact, text[lo:hi], mode="HW", task="locations", k=_max_errors(exact))
    if found["editDistance"] < 0:
        return None
    quote_score = 1.0 - found["editDistance"] / len(exact)
    spans = sorted({(lo + s, lo + e + 1) for s, e in found["locations"]})
    if len(spans) > MAX_APPROX_CANDIDATES:  # equal-distance ends cluster together: sample across them
        step = len(spans) / MAX_APPROX_CANDIDATES
        spans = [spans[int(i * step)] for i in range(MAX_APPROX_CANDIDATES)]
    best = None
    for start, end in spans:
        score = _score(text, start, end, quote_score, prefix, suffix, hint)
        if best is None or score > best.score:
            best = Match(start, end, score, text[start:end] == exact)
    return best


def _window(text: str, exact: str, prefix: str, suffix: str, hint: int, around: int) -> Match | None:
    pad = WINDOW_PAD + _max_errors(exact)
    lo, hi = max(0, around - pad), min(len(text), around + len(exact) + pad)
    return _approx_in(text, lo, hi, exact, prefix, suffix, hint)


def _best_approx(
    text: str, exact: str, prefix: str, suffix: str, hint: int | None, remap: Callable[[], int] | None = None
) -> Match | None:
    if hint is None:
        return _approx_in(text, 0, len(text), exact, prefix, suffix, hint)
    # Almost always the quote is still near where it was; a small window costs a fraction of a full scan. A batch
    # caller can offer a second, diff-mapped guess, computed only when the first one fails.
    best = _window(text, exact, prefix, suffix, hint, hint)
    if best is not None and best.score >= MIN_SCORE:
        return best
    if remap is not None:
        mapped = min(max(remap(), 0), len(text))
        if abs(mapped - hint) > WINDOW_PAD // 2:
            best = _better(best, _window(text, exact, prefix, suffix, hint, mapped))
            if best is not None and best.score >= MIN_SCORE:
                return best
    return _better(best, _approx_in(text, 0, len(text), exact, prefix, suffix, hint))


# ------------------------------------------------------------------------------------------------------- public API


def _better(a: Match | None, b: Match | None) -> Match | None:
    if a is None or (b is not None and b.score > a.score):
        return b
    return a


def _acceptable(match: Match | None, exact: str) -> bool:
    if match is None:
        return False
    if match.exact and len(exact) >= DISTINCTIVE_LEN:
        return True  # a long verbatim occurrence is the claim even if the sentences around it were rewritten
    return match.score >= MIN_SCORE


def anchor(text: str, exact: str, prefix: str = "", suffix: str = "", hint: int | None = None) -> Match | None:
    """Find ``exact`` in ``text`` using its stored context and former start offset (``hint``); None if it is gone."""
    return _anchor(text, exact, prefix, suffix, hint)


def _anchor(
    text: str, exact: str, prefix: str, suffix: str, hint: int | None, remap: Callable[[], int] | None = None
) -> Match | None:
    if not exact:
        return None
    if hint is not None:
        hint = min(max(hint, 0), len(text))
    found = _hint_match(text, exact, prefix, suffix, hint)
    if found is not None:
        return found
    found = _best_exact(text, exact, prefix, suffix, hint)
    if found is not None and (found.score >= CONFIDENT_SCORE or len(exact) >= DISTINCTIVE_LEN):
        return found  # a verbatim occurrence of a long quote beats any edited look-alike, whatever the context
    found = _better(found, _best_normalised(text, exact, prefix, suffix, hint, loose=False))
    if found is not None and found.score >= CONFIDENT_SCORE:
        return found
    if len(exact) > SHORT_QUOTE_LEN:
        found = _better(found, _best_approx(text, exact, prefix, suffix, hint, remap))
    return found if _acceptable(found, exact) else None


def find_quote(text: str, quote: str) -> Match | None:
    """Locate an evidence quote in fetched page text, tolerating case, punctuation, spacing and small typos."""
    quote = quote.strip()
    if not quote:
        return None
    start = text.find(quote)
    if start != -1:
        return Match(start, start + len(quote), 1.0, True)
    for loose in (False, True):
        needle = normalise_quote(quote, loose)
        norm = normalise(text, loose)
        ns = norm.text.find(needle) if needle else -1
        if ns != -1:
            start, end = norm.original_span(ns, ns + len(needle))
            return Match(start, end, 0.98 if loose else 0.99, False)
    if len(needle) <= SHORT_QUOTE_LEN:
        return None
    # Approximate search in the loose space, so that only real wording differences count as errors.
    found = _align(needle, norm.text, mode="HW", task="locations", k=_max_errors(needle))
    if found["editDistance"] < 0:
        return None
    ns, ne = found["locations"][0]
    start, end = norm.original_span(ns, ne + 1)
    return Match(start, end, 1.0 - found["editDistance"] / len(needle), False)


# ------------------------------------------------------------------------------------------------------ batch form


class _OffsetMap:
    """Old-revision offsets to new-revision offsets, from a word diff refined by character alignment.

    Words (with their trailing whitespace) are the diff unit because a character diff of two 50 KB texts is
    quadratic, while difflib's junk heuristic makes a word diff cheap: frequent words cannot start a match but are
    absorbed into matches anchored on rarer ones. Small changed blocks are then aligned character by character.
    """

    def __init__(self, old: str, new: str):
        self._runs: list[tuple[int, int, int]] = []  # (old_start, new_start, length) of one-to-one stretches
        old_words, new_words = _WORD.findall(old), _WORD.findall(new)
        old_at, new_at = _offsets(old_words), _offsets(new_words)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_words, new_words).get_opcodes():
            o1, o2, n1, n2 = old_at[i1], old_at[i2], new_at[j1], new_at[j2]
            if tag == "equal":
                self._runs.append((o1, n1, o2 - o1))
            elif tag in ("replace", "delete"):
                self._add_changed(old[o1:o2], new[n1:n2], o1, n1)
        self._old_starts = [r[0] for r in self._runs]

    def _add_changed(self, a: str, b: str, old_start: int, new_start: int) -> None:
        if not b or len(a) * len(b) > ALIGN_BUDGET:
            # Too big to align: a proportional guess is enough, as anchor() searches a window around it anyway.
            self._runs.append((old_start, new_start, 0))
            for i in range(1, len(a)):
                if i % 64 == 0:
                    self._runs.append((old_start + i, new_start + i * len(b) // len(a), 0))
            return
        i = j = 0
        for count, op in re.findall(r"(\d+)([=XID])", _align(a, b, mode="NW", task="path")["cigar"] or ""):
            n = int(count)
            if op in "=X":
                self._runs.append((old_start + i, new_start + j, n))
                i, j = i + n, j + n
            elif op == "I":  # characters only the old text has
                self._runs.append((old_start + i, new_start + j, 0))
                i += n
            else:  # characters only the new text has
                j += n

    def __call__(self, offset: int) -> int:
        i = bisect.bisect_right(self._old_starts, offset) - 1
        if i < 0:
            return 0
        old_start, new_start, length = self._runs[i]
        return new_start + min(offset - old_start, length)


_WORD = re.compile(r"\S+\s*|\s+")


def _offsets(pieces: list[str]) -> list[int]:
    offsets = [0]
    for piece in pieces:
        offsets.append(offsets[-1] + len(piece))
    return offsets


def anchor_many(old_text: str, new_text: str, selectors: list[Selector]) -> list[Match | None]:
    """Re-anchor many selectors from ``old_text`` onto ``new_text``; agrees with :func:`anchor`, but a quote that is
    neither verbatim nor near its old offset is looked for at its diff-mapped offset before the whole text is scanned.
    """
    offset_map: list[_OffsetMap] = []
    misses = [0]

    def mapper(offset: int) -> Callable[[], int]:
        def remap() -> int:
            # The diff costs about as much as a few hundred full-text scans, so it is only built once enough quotes
            # have strayed from their old offsets; a handful of claims on an article never pay for it.
            misses[0] += 1
            if not offset_map and misses[0] > MAP_AFTER_MISSES:
                offset_map.append(_OffsetMap(old_text, new_text))
            return offset_map[0](offset) if offset_map else offset

        return remap

    results = []
    for sel in selectors:
        remap = None if sel.start is None else mapper(sel.start)
        results.append(_anchor(new_text, sel.exact, sel.prefix, sel.suffix, sel.start, remap))
    return results
