"""The check of a selection a client made in a revision's text: for new claims and for claims re-attached by hand."""

from django.core.exceptions import ValidationError

from ..limits import MAX_CLAIM_LENGTH
from ..models import CONTEXT_WIDTH
from ..textquote import context


def checked_selection(
    text: str, start: int, end: int, exact: str, prefix: str | None, suffix: str | None
) -> tuple[str, str, str]:
    """The quote and its stored context at text[start:end], after checking them against what the client sent."""
    if not isinstance(start, int) or not isinstance(end, int) or start < 0 or end > len(text) or start >= end:
        raise ValidationError(
            {"selector": f"The selection {start}-{end} is not a non-empty span of the text (0-{len(text)})."}
        )
    stored = text[start:end]
    if exact != stored:
        raise ValidationError(
            {"exact": f"The selected text does not match the article at {start}-{end}: expected {stored[:80]!r}."}
        )
    if not stored.strip():
        raise ValidationError({"exact": "The selection is only whitespace."})
    if len(stored) > MAX_CLAIM_LENGTH:
        raise ValidationError({"exact": f"A claim is at most {MAX_CLAIM_LENGTH} characters."})
    stored_prefix, stored_suffix = context(text, start, end)
    # Clients may count context in UTF-16 units, so compare against the text itself rather than our 32 characters.
    if prefix and (len(prefix) > 2 * CONTEXT_WIDTH or not text[:start].endswith(prefix)):
        raise ValidationError({"prefix": "The text before the selection does not match the article."})
    if suffix and (len(suffix) > 2 * CONTEXT_WIDTH or not text[end:].startswith(suffix)):
        raise ValidationError({"suffix": "The text after the selection does not match the article."})
    return stored, stored_prefix, stored_suffix
