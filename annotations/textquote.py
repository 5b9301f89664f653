"""Offsets and context for W3C text selectors, on the stored text (Python string indices, i.e. code points).

Browsers count UTF-16 code units; characters outside the Basic Multilingual Plane (emoji) take two of them.
"""

from .models import CONTEXT_WIDTH


def utf16_to_index(text: str, offset: int) -> int:
    """Convert a UTF-16 offset into `text` to a Python index; ValueError if it is out of range or splits a pair."""
    if offset < 0:
        raise ValueError("offset must not be negative")
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
        if units > offset:
            raise ValueError("offset falls inside a surrogate pair")
    if units == offset:
        return len(text)
    raise ValueError("offset is past the end of the text")


def context(text: str, start: int, end: int, width: int = CONTEXT_WIDTH) -> tuple[str, str]:
    """The TextQuoteSelector prefix and suffix around text[start:end]."""
    return text[max(0, start - width) : start], text[end : end + width]


SENTENCE_END = ".!?\n"


def sentence_around(text: str, start: int, end: int, limit: int = 400) -> tuple[str, str, str]:
    """The sentence holding text[start:end], split as (before, quote, after), for showing a claim in context.

    Stops at sentence punctuation followed by a space or newline (the seed text has run-on sentences such as
    "underscored.The", which stay joined, as published), and never goes further than `limit` characters.
    """
    left = start
    while left > 0 and start - left < limit:
        if text[left - 1] == "\n" or (text[left - 1] == " " and left >= 2 and text[left - 2] in SENTENCE_END):
            break
        left -= 1
    right = end
    while right < len(text) and right - end < limit:
        if text[right] == "\n":
            break
        right += 1
        if text[right - 1] in ".!?" and (right == len(text) or text[right] in " \n"):
            break
    return text[left:start].lstrip(), text[start:end], text[end:right].rstrip()
