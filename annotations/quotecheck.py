"""Is an evidence quote faithful to its source? ``check_quote(text, quote)`` answers found, differs or not found.

Pure Python plus edlib (through :mod:`annotations.anchoring`), no Django, so it can be tested and benchmarked alone.

"found" means faithful as journalists quote, and nothing more lenient:
- typography may differ: curly or straight quotes, dashes and hyphens, runs of spaces and line breaks, punctuation
  glued to the edges of a word ("exports," = "exports"), and the case of the first letter of the quote (or of a part
  after an ellipsis: "[t]he" and "the" quoting "The");
- an ellipsis (``…``, ``...``, ``. . .``, also in [] or ()) stands for omitted words: the parts must appear in order,
  each within ELLIPSIS_GAP characters of the previous one, and the omitted words must not hold a negation of the
  kept text ("Russia is … among the top five" quoting "Russia is not among the top five" differs);
- square brackets mark an editor's insertion or replacement ("[Russia's] share was" quoting "Its share was"; "[the]
  sale" quoting "sale"). Bracketed text is never compared, so it is not trusted either: it stands for at most a few
  source words, and never for a negation, a number or a rank (``_GUARDED``).

Anything else "differs": the quote is compared word by word (difflib, after the same typographic folding) with the
closest passage, which the edlib search of the anchoring module finds, and every changed stretch is reported as a
pair (quote words, source words). A number, a negation, a name, a rank, the word order or the case of a word other
than the first always counts. "not_found" when no passage is within the anchoring's error bound (a quarter of the
quote's characters) or when fewer than half of the quote's words survive in the closest passage.
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from . import anchoring, textnorm

FOUND, DIFFERS, NOT_FOUND = "found", "differs", "not_found"

# An ellipsis may skip at most this many characters of the source. News paragraphs run 200-600 characters: an
# ellipsis that jumps further stitches together separate statements, which readers would not take for one quote.
ELLIPSIS_GAP = 600
# Source words one bracketed word may stand for: "[Russia's]" for "Its", "[the agreement]" for "the deal they
# signed". Beyond that the brackets would be rewriting the quote rather than clarifying it.
BRACKET_WORDS_PER_WORD = 2
BRACKET_SLACK = 2
MAX_BRACKET_WORDS = 12
# Brackets and ellipses the faithful matcher follows in one quote.
MAX_EDITS = 32
# Source words looked at beyond each end of the edlib hit, so that a word cut by its loose alignment is still seen.
EDGE_WORDS = 3
# A passage keeping no more than this share of the words is a look-alike, not a misquote of the quote.
MIN_KEPT_SHARE = 0.5
# Share of the score kept by a quote whose parts are all in the source, but in another order.
OUT_OF_ORDER_CREDIT = 0.75
# Alternative edlib hits (distinct starts) whose word diffs are compared to pick the closest passage.
MAX_CANDIDATES = 4
# An omitted stretch longer than this is shown by its ends only.
SHOWN_GAP_WORDS = 12

NEGATIONS = frozenset(
    "not no never nor neither none nobody nothing nowhere cannot without".split()  # noqa: SIM905 - reads as prose
)
# Words an editor's brackets may not stand for: replacing them changes what the quote asserts.
_NUMBER_WORDS = frozenset(
    """
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion
half quarter dozen first second third fourth fifth sixth seventh eighth ninth tenth last largest smallest biggest
most least top bottom percent per cent
""".split()  # noqa: SIM905
)

# What an editor's brackets may replace: a reference the reader could not resolve out of context ("[Russia's]
# share" for "Its share", "[the agreement]" for "the deal"). Replacing any other word ("[Russia]" for "France") puts
# new words in the speaker's mouth, which is a misquote however it is marked.
REFERENCE_WORDS = frozenset(
    """
he she it its they their theirs them his her hers him we our ours us you your yours i my me this that these those
the a an who whom whose which here there then such one ones
""".split()  # noqa: SIM905
)

_ELLIPSIS = re.compile(r"[\[(]\s*(?:…|\.\s?\.\s?\.)\s*[\])]|…|\.\s?\.\s?\.\.?")
_QUOTE_TOKEN = re.compile(r"(?:\[[^\[\]]*\]|[^\s\[])+")
_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_INITIAL = re.compile(r"^\[(\w)\](\w)")  # "[T]he": an editor changed the case of the first letter
_EDGE_PUNCT = ".,;:!?\"'()[]{}«»‹›<>*-/\\"
_RAW_EDGE = _EDGE_PUNCT + "".join(textnorm.CHAR_MAP) + "…"
_SENTENCE_END = re.compile(r"[.!?][\"')\]»]*$")


@dataclass(frozen=True)
class QuoteCheck:
    status: str  # FOUND, DIFFERS or NOT_FOUND
    start: int | None  # the passage in ``text``: the whole quoted stretch, omitted words included
    end: int | None
    differences: tuple[tuple[str, str], ...] = ()  # (quote words, source words) per changed stretch; "" = none
    score: float = 0.0  # words that agree / (quote words + passage words): 1.0 when found, 0.0 when not found


NOT_FOUND_RESULT = QuoteCheck(NOT_FOUND, None, None, (), 0.0)


# ------------------------------------------------------------------------------------------------------ words


def _fold(raw: str) -> str:
    """Typographic folding of one word: Unicode compatibility forms, quotes and dashes, edge punctuation."""
    if not raw.isascii():
        raw = "".join(textnorm.CHAR_MAP.get(c, c) for c in unicodedata.normalize("NFKC", raw))
    return raw.strip(_EDGE_PUNCT)


def _initial_folded(key: str) -> str:
    return key[:1].lower() + key[1:]


def _is_negation(key: str) -> bool:
    low = key.lower()
    return low in NEGATIONS or low.endswith("n't")


def _is_guarded(key: str) -> bool:
    low = key.lower()
    return _is_negation(low) or low in _NUMBER_WORDS or any(c.isdigit() for c in low)


@dataclass(frozen=True)
class _Document:
    keys: list[str]
    starts: list[int]
    ends: list[int]
    sentence_end: list[bool]  # the word closes a sentence
    index: dict[str, list[int]]  # initial-folded key -> word positions

    def words(self, i: int, j: int) -> str:
        return " ".join(self.keys[i:j])


@functools.lru_cache(maxsize=8)
def _document(text: str) -> _Document:
    # Cached like textnorm.normalise: a capture's evidence quotes are all checked against the same text.
    keys, starts, ends, sentence_end = [], [], [], []
    index: dict[str, list[int]] = {}
    for m in re.finditer(r"\S+", text):
        key = _fold(m.group())
        if not key:
            continue  # a lone dash or quotation mark is typography, not a word
        index.setdefault(_initial_folded(key), []).append(len(keys))
        keys.append(key)
        raw = m.group()
        # The word's own characters: glued punctuation is part of the passage only if the quote has it too.
        starts.append(m.start() + len(raw) - len(raw.lstrip(_RAW_EDGE)))
        ends.append(m.end() - len(raw) + len(raw.rstrip(_RAW_EDGE)))
        sentence_end.append(bool(_SENTENCE_END.search(m.group())))
    return _Document(keys, starts, ends, sentence_end, index)


# ------------------------------------------------------------------------------------------------------ quotes


@dataclass(frozen=True)
class _Word:
    key: str
    flexible: bool  # its first letter's case may differ (first word of the quote or of a part)


@dataclass(frozen=True)
class _Bracket:
    shown: str  # as the editor wrote it, brackets included
    limit: int  # at most this many source words

    @property
    def key(self) -> str:
        return "\x00" + self.shown  # matches no source word

    @property
    def words(self) -> list[str]:
        return [_fold(word).lower() for word in " ".join(_BRACKET.findall(self.shown)).split()]


def _may_replace(bracket: _Bracket, keys: list[str]) -> bool:
    """Whether the bracket may stand for these source words: a reference, or the very words bracketed."""
    if not keys:
        return True  # an insertion
    if [key.lower() for key in keys] == bracket.words:
        return True
    return keys[0].lower() in REFERENCE_WORDS and not any(_is_guarded(key) for key in keys)


@dataclass(frozen=True)
class _Omission:
    """An ellipsis between two parts."""

    key = "\x00…"
    shown = "…"


def _parse(quote: str) -> list[list[_Word | _Bracket]]:
    """The quote's parts (split at ellipses), each a list of words and bracketed insertions."""
    parts = []
    for piece in _ELLIPSIS.split(quote):
        items: list[_Word | _Bracket] = []
        for m in _QUOTE_TOKEN.finditer(piece):
            token = m.group()
            first = not any(isinstance(item, _Word) for item in items)
            if initial := _INITIAL.match(token):
                token = initial.group(1) + token[initial.end(1) + 1 :]
                first = True
            if "[" in token:
                inside = " ".join(_BRACKET.findall(token))
                words = len(inside.split()) or 1
                limit = min(MAX_BRACKET_WORDS, words * BRACKET_WORDS_PER_WORD + BRACKET_SLACK)
                items.append(_Bracket(token.strip(_EDGE_PUNCT.replace("[]", "")) or token, limit))
            elif key := _fold(token):
                items.append(_Word(key, first))
        if any(isinstance(item, _Word) for item in items):
            parts.append(items)
    return parts


def _same(word: _Word, key: str) -> bool:
    if word.key == key:
        return True
    return word.flexible and _initial_folded(word.key) == _initial_folded(key)


# ------------------------------------------------------------------------------------------- faithful matching


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


# ------------------------------------------------------------------------------------------------- the diff


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


# ---------------------------------------------------------------------------------------- closest passage


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


# ------------------------------------------------------------------------------------------------------ API


def check_quote(text: str, quote: str) -> QuoteCheck:
    """How faithfully ``quote`` renders a passage of ``text`` (see the module docstring for the conventions)."""
    parts = _parse((quote or "").strip())
    if not parts or not text:
        return NOT_FOUND_RESULT
    doc = _document(text)
    edits = len(parts) - 1 + sum(isinstance(item, _Bracket) for part in parts for item in part)
    # Past MAX_EDITS brackets and ellipses a quote is more editor than source; the word diff alone judges it (it
    # can still find it faithful), which also keeps the matcher's recursion shallow whatever is pasted.
    span = _faithful(doc, parts) if edits <= MAX_EDITS else None
    if span is not None:
        start, end = doc.starts[_replaced_subject(doc, parts[0], span[0])], doc.ends[span[1] - 1]
        result = QuoteCheck(FOUND, start, end, (), 1.0)
    else:
        result = _closest(text, doc, parts)
    if result.start is None:
        return result
    start, end = _with_punctuation(text, quote, result)
    return dataclasses.replace(result, start=start, end=end)


def _with_punctuation(text: str, quote: str, result: QuoteCheck) -> tuple[int, int]:
    """Widen the passage over the punctuation glued to its ends when the quote has some there too."""
    quote = quote.strip()
    start, end = result.start, result.end
    if quote[:1] in _RAW_EDGE:
        while start > 0 and text[start - 1] in _RAW_EDGE:
            start -= 1
    if quote[-1:] in _RAW_EDGE:
        while end < len(text) and text[end] in _RAW_EDGE:
            end += 1
    return start, end
