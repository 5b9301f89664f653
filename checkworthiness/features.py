"""What the scorer sees in a sentence: ClaimBuster-style signs of a checkable fact, and its words.

Every feature is a name with a value; a model is a weight per name, so it is readable ("f:percent", "w:deficit")
and a desk's retraining can weigh its own words without a fixed hash space. Two kinds:
- "f:" signs of a statement of fact, few and dense: numbers, percentages, money, years, scale words, comparatives,
  superlatives and trends, first-person-plural statements of fact, named-entity-like capitals, length; and of what
  is not checkable: questions, hedges and opinions, promises, courtesies, very short sentences.
- "w:" lowercased words (every number is "<num>"). The default model leaves them out: on the CheckThat! debates
  (bench/checkworthiness.py) words, topic lists (taxes, war...) and "he/she did" cues all lowered the held-out MAP,
  a few hundred positives being too few to learn a vocabulary that carries to other transcripts, let alone to
  news articles. Retraining on a desk's own history learns its words on top.
The word lists are generic English cues chosen by their meaning, not mined from the benchmark's transcripts.
"""

from __future__ import annotations

import math
import re

_TOKEN = re.compile(r"\$|%|\d[\d,.]*\d|\d|[^\W\d_]+(?:['’][^\W\d_]+)*")
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)s?\b")
_MONEY = re.compile(r"[$€£¥]\s?\d|\d\s?(?:dollars|euros|pounds)\b", re.IGNORECASE)
_PERCENT = re.compile(r"\d\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
_CAPITALISED = re.compile(r"(?<=\s)[A-Z][a-z]+")  # not the sentence's first word


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LEXICONS = {
    "f:scale": _words("hundred thousand million millions billion billions trillion trillions"),
    "f:comparative": _words(
        "more less fewer higher lower larger smaller bigger greater better worse most least fewest highest lowest "
        "largest smallest biggest greatest best worst record increase increased decrease decreased doubled tripled "
        "rose fell dropped cut raised grew lost"
    ),
    "f:we": _words("we our us"),
    "f:hedge": _words("think believe hope want going will would should could maybe perhaps"),
    "f:future": _words("will going gonna i'll we'll plan"),
    "f:courtesy": _words("thank thanks please welcome congratulations hello goodbye sorry yeah okay ok"),
}
_FACT_VERBS = _words("is are was were has have had did does said voted passed signed")
_QUESTION_WORDS = _words("what why how who where when which")
KINDS = ("f:", "w:")


def tokens(text: str) -> list[str]:
    """Lowercased words; every number becomes "<num>", and "$" and "%" are words of their own."""
    return ["<num>" if _DIGIT.match(t) else t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


def features(text: str) -> dict[str, float]:
    """The sentence's features and their values (absent features are 0)."""
    words = tokens(text)
    vocabulary = set(words)
    found: dict[str, float] = {"w:" + word: 1.0 for word in vocabulary}
    flags = {
        "f:number": "<num>" in vocabulary,
        "f:year": _YEAR.search(text) is not None,
        "f:money": "$" in vocabulary or _MONEY.search(text) is not None,
        "f:percent": _PERCENT.search(text) is not None,
        "f:question": text.rstrip().endswith("?") or (bool(words) and words[0] in _QUESTION_WORDS),
        "f:short": len(words) < 6,
    }
    for name, lexicon in LEXICONS.items():
        flags[name] = not vocabulary.isdisjoint(lexicon)
    flags["f:we_fact"] = flags["f:we"] and not vocabulary.isdisjoint(_FACT_VERBS)
    for name, on in flags.items():
        if on:
            found[name] = 1.0
    capitals = len(_CAPITALISED.findall(text))
    if capitals:
        found["f:capitals"] = min(capitals, 6) / 6
    found["f:length"] = min(math.log1p(len(words)) / math.log(60), 1.5)
    return found
