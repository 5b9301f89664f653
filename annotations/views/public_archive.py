"""The archived copy of a published fact-check's source, for the public.

Only evidence of a claim whose verdict is published, and only its capture once done: a draft's sources, a withdrawn
or unpublished fact-check's and any capture reached by its own id stay 404. The page shows the text extracted from
the stored copy, escaped (the source's HTML is never rendered in this origin), and links the stored file itself,
which goes out as the staff download does: an attachment of type application/octet-stream with nosniff and a
sandboxing CSP (views/captures.snapshot_response).
"""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from ..models import Capture, Evidence, Verdict
from .captures import snapshot_response

# Third-party pages copied here are for checking our sources, not for search engines to index under our name.
NOINDEX = "noindex, nofollow"


def _published_evidence(claim_id: int, evidence_id: int, *, with_text: bool) -> Evidence:
    evidence = Evidence.objects.select_related("capture", "source").filter(
        pk=evidence_id,
        claim_id=claim_id,
        claim__verdict__status=Verdict.Status.PUBLISHED,
        capture__status=Capture.Status.DONE,
    )
    if not with_text:
        evidence = evidence.defer("capture__text")
    return get_object_or_404(evidence)


def _passages(text: str, evidence: Evidence) -> tuple[str, str, str] | None:
    """(before, quoted passage, after) when the quote check located the passage in this text."""
    start, end = evidence.quote_start, evidence.quote_end
    if evidence.quote_status not in {Evidence.QuoteStatus.FOUND, Evidence.QuoteStatus.DIFFERS}:
        return None
    if start is None or end is None or not 0 <= start < end <= len(text):
        return None
    return text[:start], text[start:end], text[end:]


def public_archive(request, claim_id: int, evidence_id: int):
    evidence = _published_evidence(claim_id, evidence_id, with_text=True)
    capture = evidence.capture
    response = render(
        request,
        "annotations/public_archive.html",
        {
            "evidence": evidence,
            "capture": capture,
            "passages": _passages(capture.text, evidence),
            "factcheck_url": reverse("public_factcheck", args=[claim_id]),
            "raw_url": reverse("public_archive_raw", args=[claim_id, evidence_id]) if capture.has_snapshot else None,
        },
    )
    response["X-Robots-Tag"] = NOINDEX
    return response


def public_archive_raw(request, claim_id: int, evidence_id: int):
    response = snapshot_response(_published_evidence(claim_id, evidence_id, with_text=False).capture)
    response["X-Robots-Tag"] = NOINDEX
    return response
