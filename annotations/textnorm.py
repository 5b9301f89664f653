"""Text folded for matching quotes: Unicode forms, whitespace runs, typographic quotes and dashes (and, loosely, case
and punctuation), with a map from each folded character back to the original offsets.

Pure Python, no Django: anchoring.py searches the folded text for claims' quotes, quotecheck/ for evidence quotes.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from dataclasses import dataclass

CHAR_MAP = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
}
_TOKEN = re.compile(r"\s+|\S+")
_ODD_SPACE = re.compile(r"\s\s|[^\S ]")
_ASCII_PUNCT = frozenset(string.punctuation)


@dataclass(frozen=True)
class Normalised:
    text: str
    starts: list[int]  # original offset where the cluster producing each normalised char begins
    ends: list[int]  # original offset just past that cluster

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


def _clusters(token: str):
    """Yield (offset, cluster) where a cluster is a base character plus its combining marks."""
    i = 0
    while i < len(token):
        j = i + 1
        while j < len(token) and unicodedata.combining(token[j]):
            j += 1
        yield i, token[i:j]
        i = j


def _normalise_cluster(cluster: str, loose: bool) -> str:
    out = "".join(CHAR_MAP.get(c, c) for c in unicodedata.normalize("NFKC", cluster))
    if loose:
        out = "".join(c for c in out.casefold() if not unicodedata.category(c).startswith("P"))
    return out


def _normalise_word(word: str, offset: int, loose: bool, out: list[str], starts: list[int], ends: list[int]):
    if word.isascii() and not loose:
        out.append(word)
        starts.extend(range(offset, offset + len(word)))
        ends.extend(range(offset + 1, offset + len(word) + 1))
        return
    for i, cluster in _clusters(word):
        if word.isascii():
            piece = "" if cluster in _ASCII_PUNCT else cluster.lower()
        else:
            piece = _normalise_cluster(cluster, loose)
        if not piece:
            continue
        out.append(piece)
        starts.extend([offset + i] * len(piece))
        ends.extend([offset + i + len(cluster)] * len(piece))


@functools.lru_cache(maxsize=8)
def normalise(text: str, loose: bool = False) -> Normalised:
    # Cached because a batch re-anchors hundreds of quotes against the same revision; quotes themselves must not go
    # through the cache or they would evict the document.
    return normalise_uncached(text, loose)


def normalise_uncached(text: str, loose: bool = False) -> Normalised:
    """Fold presentation differences (Unicode forms, whitespace runs, typographic quotes; with ``loose`` also case and
    punctuation) while remembering, per output character, which original characters produced it."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _TOKEN.finditer(text):
        if m.group().isspace():
            if out and out[-1] == " ":  # punctuation dropped between two spaces: keep one space spanning both
                ends[-1] = m.end()
                continue
            out.append(" ")
            starts.append(m.start())
            ends.append(m.end())
        else:
            _normalise_word(m.group(), m.start(), loose, out, starts, ends)
    return Normalised("".join(out), starts, ends)


def normalise_quote(quote: str, loose: bool = False) -> str:
    if not loose and quote.isascii() and not _ODD_SPACE.search(quote):
        return quote.strip()  # the common case, and anchoring a batch calls this once per quote
    return normalise_uncached(quote, loose).text.strip()
