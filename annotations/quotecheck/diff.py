"""The word diff of a quote against a passage: the changed stretches as (quote words, source words) pairs, moves
shown as one change, and the score (the share of words that agree)."""

from __future__ import annotations

import difflib

from .faithful import _omission_problem
from .words import REFERENCE_WORDS, _Document, _initial_folded, _is_guarded, _may_replace, _Omission, _same, _Word


def _items(parts) -> list:
    out: list = []
    for p, items in enumerate(parts):
        if p:
            out.append(_Omission())
        out.extend(items)
    return out


def _shown(items) -> str:
    return " ".join(item.key if isinstance(item, _Word) else item.shown for item in items)


def _diff(doc: _Document, items, lo: int, hi: int) -> tuple[list[tuple[str, str]], int, int, float]:
    """Compare the quote's items with source words lo..hi: (differences, passage start, end word, score)."""
    quote_keys = [_initial_folded(item.key) if isinstance(item, _Word) else item.key for item in items]
    source_keys = [_initial_folded(key) for key in doc.keys[lo:hi]]
    ops = difflib.SequenceMatcher(None, quote_keys, source_keys, autojunk=False).get_opcodes()
    # Source words beyond the quote's ends are context the loose search swept in, not part of the passage.
    if ops and ops[0][0] == "insert":
        ops = ops[1:]
    if ops and ops[-1][0] == "insert":
        ops = ops[:-1]
    if not ops:
        return [], lo, lo, 0.0
    # A replacement at either end may have swept in context too: the source words nearest the passage, as many as
    # the quote has there, are the ones it replaced ("Russia was" quoting "... 2020-24. France was").
    tag, i1, i2, j1, j2 = ops[0]
    if tag == "replace" and j2 - j1 > i2 - i1:
        ops[0] = (tag, i1, i2, j2 - (i2 - i1), j2)
    tag, i1, i2, j1, j2 = ops[-1]
    if len(ops) > 1 and tag == "replace" and j2 - j1 > i2 - i1:
        ops[-1] = (tag, i1, i2, j1, j1 + (i2 - i1))
    ops = _moves(ops, quote_keys, source_keys)
    start, end = lo + ops[0][3], lo + ops[-1][4]
    differences: list[tuple[str, str]] = []
    kept = 0  # quote words and source words that agree (those standing for brackets and ellipses included)
    for tag, i1, i2, j1, j2 in ops:
        s1, s2 = lo + j1, lo + j2
        if tag == "equal":
            for offset in range(i2 - i1):
                word, key = items[i1 + offset], doc.keys[s1 + offset]
                if _same(word, key):
                    kept += 2
                else:  # the case of a letter other than the quote's first: "US" is not "us"
                    differences.append((word.key, key))
            continue
        quoted = items[i1:i2]
        if quoted and not any(isinstance(item, _Word) for item in quoted):
            problem = _conventional_problem(doc, quoted, s1, s2)
            if problem is None:
                kept += s2 - s1  # what the brackets and ellipses stand for is, by convention, quoted
                continue
            differences.append((_shown(quoted), problem))
            continue
        differences.append((_shown(quoted), doc.words(s1, s2)))
    words = sum(isinstance(item, _Word) for item in items) + (end - start)
    return differences, start, end, kept / words if words else 0.0


def _moves(ops: list, quote_keys: list[str], source_keys: list[str]) -> list:
    """Words the quote moved show as one change of the stretch ("Russia, France" for "France, Russia"), not as a
    deletion here and an insertion there: a word diff sees a move as those two."""
    out, k = [], 0
    while k < len(ops):
        merged = False
        for far in (k + 1, k + 2):  # the two ends of a move, at most one unchanged stretch apart
            if far >= len(ops):
                break
            a, b = ops[k], ops[far]
            moved = {a[0], b[0]} == {"insert", "delete"}
            if moved and quote_keys[a[1] : a[2]] + quote_keys[b[1] : b[2]] == (
                source_keys[a[3] : a[4]] + source_keys[b[3] : b[4]]
            ):
                out.append(("replace", a[1], b[2], a[3], b[4]))
                k, merged = far + 1, True
                break
        if not merged:
            out.append(ops[k])
            k += 1
    return out


def _conventional_problem(doc: _Document, quoted, s1: int, s2: int) -> str | None:
    """Why source words s1..s2 cannot be what these brackets/ellipses stand for; None if they can."""
    if any(isinstance(item, _Omission) for item in quoted):
        return _omission_problem(doc, s1, s2)
    limit = sum(max(item.limit, len(item.words)) for item in quoted)
    keys = doc.keys[s1:s2]
    replaceable = len(quoted) == 1 and _may_replace(quoted[0], keys)
    replaceable = replaceable or not (
        any(_is_guarded(key) for key in keys) or (keys and keys[0].lower() not in REFERENCE_WORDS)
    )
    if s2 - s1 > limit or not replaceable:
        return doc.words(s1, s2)
    return None
