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

One module per concern, each importing only the ones before it: result (the statuses and QuoteCheck), limits (the
bounds above), words (folding, the source's word index, the parsed quote), faithful (the matcher of the conventions),
diff (the word diff and its score), closest (the closest passage when the quote is not faithful), check
(``check_quote``).
"""

from .check import check_quote
from .limits import (
    BRACKET_SLACK,
    BRACKET_WORDS_PER_WORD,
    EDGE_WORDS,
    ELLIPSIS_GAP,
    MAX_BRACKET_WORDS,
    MAX_CANDIDATES,
    MAX_EDITS,
    MIN_KEPT_SHARE,
    OUT_OF_ORDER_CREDIT,
    SHOWN_GAP_WORDS,
)
from .result import DIFFERS, FOUND, NOT_FOUND, NOT_FOUND_RESULT, QuoteCheck
from .words import NEGATIONS, REFERENCE_WORDS, _document

# _document: bench/quotecheck.py clears its cache (the source's word index) to time a capture's first quote.
__all__ = [
    "BRACKET_SLACK",
    "BRACKET_WORDS_PER_WORD",
    "DIFFERS",
    "EDGE_WORDS",
    "ELLIPSIS_GAP",
    "FOUND",
    "MAX_BRACKET_WORDS",
    "MAX_CANDIDATES",
    "MAX_EDITS",
    "MIN_KEPT_SHARE",
    "NEGATIONS",
    "NOT_FOUND",
    "NOT_FOUND_RESULT",
    "OUT_OF_ORDER_CREDIT",
    "REFERENCE_WORDS",
    "SHOWN_GAP_WORDS",
    "QuoteCheck",
    "_document",
    "check_quote",
]
