"""Evidence quotes checked against their capture's text: when it is extracted, and when its source is re-checked."""

from __future__ import annotations

from django.utils import timezone

from .. import quotecheck
from ..models import Capture, Evidence

_QUOTE_FIELDS = ["quote_status", "quote_start", "quote_end", "quote_score", "quote_differences", "quote_checked_at"]


def _apply_check(evidence: Evidence, check: quotecheck.QuoteCheck) -> None:
    evidence.quote_status = check.status  # the three outcomes are QuoteStatus values
    evidence.quote_start, evidence.quote_end = check.start, check.end
    evidence.quote_score = None if check.status == quotecheck.NOT_FOUND else check.score
    evidence.quote_differences = [list(pair) for pair in check.differences]
    evidence.quote_checked_at = timezone.now()


def evidence_check_quote(*, evidence: Evidence, capture: Capture | None = None) -> Evidence:
    """Check the evidence quote against its capture's text: found (faithful), differs (with its diff), not found."""
    capture = capture or evidence.capture
    quote = evidence.quote.strip()
    if capture is None or capture.status != Capture.Status.DONE or not quote:
        return evidence
    _apply_check(evidence, quotecheck.check_quote(capture.text, quote))
    evidence.save(update_fields=_QUOTE_FIELDS)
    return evidence


def flag_gone_quotes(capture: Capture, text: str) -> int:
    """Re-check the quotes once located in the capture against the source's `text` as fetched now.

    A quote whose passage is no longer there becomes gone, keeping its offsets into the capture (which still holds
    the text it was checked against); one that is there again, or still there, takes the new result: found, or
    differs with the diff against what the source says now. So found -> gone -> found, and a differs quote's diff
    follows the source. Returns how many are gone.
    """
    gone = 0
    located = [Evidence.QuoteStatus.FOUND, Evidence.QuoteStatus.DIFFERS, Evidence.QuoteStatus.GONE]
    # order_by("pk") also keeps the default ordering's join to the claim (and FOR UPDATE's lock on it) out.
    rows = capture.evidence.select_for_update().filter(quote_status__in=located).exclude(quote="").order_by("pk")
    for evidence in rows:
        check = quotecheck.check_quote(text, evidence.quote) if text else quotecheck.NOT_FOUND_RESULT
        if check.status == quotecheck.NOT_FOUND:
            gone += 1
            if evidence.quote_status != Evidence.QuoteStatus.GONE:
                evidence.quote_status = Evidence.QuoteStatus.GONE
                evidence.quote_checked_at = timezone.now()
                evidence.save(update_fields=["quote_status", "quote_checked_at"])
            continue
        differences = [list(pair) for pair in check.differences]
        if (check.status, differences) == (evidence.quote_status, evidence.quote_differences):
            continue
        # quote_start/end stay: they locate the passage in the capture's text, the one the capture page shows.
        evidence.quote_status = check.status
        evidence.quote_score = check.score
        evidence.quote_differences = differences
        evidence.quote_checked_at = timezone.now()
        evidence.save(update_fields=["quote_status", "quote_score", "quote_differences", "quote_checked_at"])
    return gone
