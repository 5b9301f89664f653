"""The faithful matcher: a passage the quote renders word for word, its ellipses and brackets following the
conventions (an omission within ELLIPSIS_GAP and holding no negation of the kept text; brackets replacing only
references)."""

from __future__ import annotations

import bisect

from .limits import ELLIPSIS_GAP, SHOWN_GAP_WORDS
from .words import REFERENCE_WORDS, _Document, _initial_folded, _is_guarded, _is_negation, _may_replace, _same, _Word


def _omission_problem(doc: _Document, i: int, j: int) -> str | None:
    """Why the omitted source words i..j cannot be left out, or None: a negation in the sentence of the kept text.

    The words up to the first sentence end belong to the sentence the previous part ends in, those after the last
    one to the sentence the next part starts in; a "not" there negates kept words. Whole sentences in between may
    hold anything: leaving them out is what an ellipsis is for.
    """
    if j <= i:
        return None
    if doc.ends[j - 1] - doc.starts[i] > ELLIPSIS_GAP:
        return f"{doc.ends[j - 1] - doc.starts[i]:,} characters"
    ends = [k for k in range(i, j) if doc.sentence_end[k]]
    joined = range(i, j) if not ends else [*range(i, ends[0] + 1), *range(ends[-1] + 1, j)]
    if i > 0 and doc.sentence_end[i - 1]:  # the previous part closed its sentence: the first stretch is a new one
        joined = [k for k in joined if not ends or k > ends[-1]]
    if any(_is_negation(doc.keys[k]) for k in joined):
        return _shown_gap(doc, i, j)
    return None


def _shown_gap(doc: _Document, i: int, j: int) -> str:
    if j - i <= SHOWN_GAP_WORDS:
        return doc.words(i, j)
    half = SHOWN_GAP_WORDS // 2
    return f"{doc.words(i, i + half)} … {doc.words(j - half, j)}"


def _match_part(doc: _Document, items, k: int, j: int, memo: dict) -> int | None:
    """Match items[k:] at word j; the end word position, or None. Brackets try to stand for 0..limit words.

    ``memo`` (per part) keeps the backtracking over brackets linear in their number rather than exponential.
    """
    if (k, j) in memo:
        return memo[k, j]
    memo[k, j] = end = _match_words(doc, items, k, j, memo)
    return end


def _match_words(doc: _Document, items, k: int, j: int, memo: dict) -> int | None:
    while k < len(items):
        item = items[k]
        if isinstance(item, _Word):
            if j >= len(doc.keys) or not _same(item, doc.keys[j]):
                return None
            k, j = k + 1, j + 1
            continue
        if k == len(items) - 1:
            # A closing insertion ("… was signed [in 2024]") stands for nothing in the source, or for the words
            # it replaced, which are not needed to know the quote is faithful.
            return j
        for width in range(max(item.limit, len(item.words)) + 1):
            if j + width > len(doc.keys):
                break
            if not _may_replace(item, doc.keys[j : j + width]):
                continue
            end = _match_part(doc, items, k + 1, j + width, memo)
            if end is not None:
                return end
        return None
    return j


def _replaced_subject(doc: _Document, items, start: int) -> int:
    """Where the passage starts when the quote opens with brackets: "[Putin] said" for "He said" covers "He".

    Only a sentence's first words are taken for the ones the brackets replaced (the usual case: a pronoun made
    explicit); elsewhere an opening insertion most often adds words the source does not have, and covers none.
    """
    lead = items[: _first_word(items)]
    width = sum(len(item.shown.split()) for item in lead)
    for back in range(1, width + 1):
        first = start - back
        if first < 0 or doc.sentence_end[first] or _is_guarded(doc.keys[first]):
            break
        if first == 0 or doc.sentence_end[first - 1]:
            return first if len(lead) > 1 or _may_replace(lead[0], doc.keys[first:start]) else start
    return start


def _opening_brackets_fit(doc: _Document, items, start: int) -> bool:
    """Brackets opening a quote in mid-sentence stand for the word before the passage ("[Russia] was" quoting
    "France was"): they must be allowed to replace it, as anywhere else in the quote."""
    lead = items[: _first_word(items)]
    if not lead or start == 0 or doc.sentence_end[start - 1]:
        return True
    previous = doc.keys[start - 1].lower()
    return previous in REFERENCE_WORDS or any(previous in item.words for item in lead)


def _first_word(items) -> int:
    return next(k for k, item in enumerate(items) if isinstance(item, _Word))


def _faithful(doc: _Document, parts) -> tuple[int, int] | None:
    """Word positions (start, end) of a passage the quote renders faithfully, or None."""

    def candidates(items, lo: int, hi: int):
        word = items[_first_word(items)]
        positions = doc.index.get(_initial_folded(word.key), [])
        for p in positions[bisect.bisect_left(positions, lo) :]:
            if p >= hi:
                break
            yield p

    memos: list[dict] = [{} for _part in parts]
    tried: dict[tuple[int, int], int | None] = {}

    def rest(p: int, after: int) -> int | None:
        if p == len(parts):
            return after
        if (p, after) not in tried:
            tried[p, after] = next_parts(p, after)
        return tried[p, after]

    def next_parts(p: int, after: int) -> int | None:
        items = parts[p]
        lead = _first_word(items)
        limit = bisect.bisect_right(doc.starts, doc.ends[after - 1] + ELLIPSIS_GAP) if after else len(doc.keys)
        for j in candidates(items, after, limit):
            if _omission_problem(doc, after, j) is not None:
                continue
            end = _match_part(doc, items, lead, j, memos[p])
            if end is not None:
                found = rest(p + 1, end)
                if found is not None:
                    return found
        return None

    items, best = parts[0], None
    for j in candidates(items, 0, len(doc.keys)):
        if not _opening_brackets_fit(doc, items, j):
            continue
        end = _match_part(doc, items, _first_word(items), j, memos[0])
        if end is not None:
            final = rest(1, end)
            if final is not None and (best is None or final - j < best[1] - best[0]):
                best = (j, final)  # the tightest passage: "A … B" spans the nearest A before a B
                if len(parts) == 1:
                    break  # every occurrence of a quote without ellipses is as tight; the first one will do
    return best
