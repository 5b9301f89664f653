"""Words as the quote check compares them: typographic folding, the source's word index (``_document``) and the
quote parsed into parts (split at ellipses) of words and bracketed insertions, with the words brackets may not
replace."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .. import textnorm
from .limits import BRACKET_SLACK, BRACKET_WORDS_PER_WORD, MAX_BRACKET_WORDS

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
