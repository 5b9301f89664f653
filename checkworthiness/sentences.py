"""Split a revision's text into sentences, with code-point offsets (Python str indices) into that text.

Nearly the rule of annotations.textquote.sentence_around, which shows a claim in its sentence: a sentence ends at
".", "!" or "?" (and any closing quotes or brackets after it) followed by white space, or at a line break; and here
also at a stop run into the next sentence without a space (below). Abbreviations ("Mr.", "U.S.") and
decimals are not sentence ends: a period after a single capital, a known abbreviation or before a digit goes on.
That module imports Django models, this one must not, hence the few lines of its own.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Ends: punctuation, then closing quotes/brackets, then white space (kept out of the sentence) or the text's end.
_END = re.compile(
    r"[.!?…]+[\"'”’»)\]]*(?=\s|$)"
    # Run-on sentences from extracted pages ("Putin underscored.The interest"): a stop between a lowercase word
    # and a capitalised one with no space. Unlike sentence_around (which shows them joined, as published), a
    # suggestion should be one sentence. "U.S.The" or "e.g.The" are not split (no two lowercase letters before).
    r"|(?<=[a-z]{2})[.!?](?=[A-Z][a-z])"
    r"|\n"
)
_ABBREVIATION_LIST = (
    "mr mrs ms dr prof sr jr st mt no vs etc e.g i.e inc ltd co corp gen gov sen rep rev hon fig jan feb mar apr "
    "jun jul aug sep sept oct nov dec u.s u.k u.n a.m p.m"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())
MAX_SENTENCE = 2000  # a "sentence" longer than this (a list without stops) is cut, so no suggestion is a whole page


class Sentence(NamedTuple):
    start: int
    end: int
    text: str


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period ending at text[end - 1] closes an abbreviation rather than a sentence."""
    if text[end - 1] != ".":
        return False
    begin = end - 1
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    word = text[begin : end - 1].lstrip("\"'“‘(«[").lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split(text: str) -> list[Sentence]:
    """The sentences of `text` in order: text[s.start:s.end] == s.text, stripped of surrounding white space, none
    empty. Offsets count code points, so an emoji or a combining accent is one or two characters as Python sees it
    (never cut: a sentence ends only at punctuation, a line break or white space)."""
    sentences = []
    begin = 0
    for match in _END.finditer(text):
        end = match.end()
        if match.group() != "\n" and _is_abbreviation(text, end):
            continue
        _add(sentences, text, begin, end)
        begin = end
    _add(sentences, text, begin, len(text))
    return sentences


def _add(sentences: list[Sentence], text: str, begin: int, end: int) -> None:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    while end - begin > MAX_SENTENCE:
        cut = text.rfind(" ", begin, begin + MAX_SENTENCE)
        cut = cut if cut > begin else begin + MAX_SENTENCE
        _add(sentences, text, begin, cut)
        begin = cut
        while begin < end and text[begin].isspace():
            begin += 1
    if end > begin:
        sentences.append(Sentence(begin, end, text[begin:end]))
