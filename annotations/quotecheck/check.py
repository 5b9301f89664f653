"""``check_quote``: the faithful matcher first, else the closest passage, its span widened over glued punctuation."""

from __future__ import annotations

import dataclasses

from .closest import _closest
from .faithful import _faithful, _replaced_subject
from .limits import MAX_EDITS
from .result import FOUND, NOT_FOUND_RESULT, QuoteCheck
from .words import _RAW_EDGE, _Bracket, _document, _parse


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
