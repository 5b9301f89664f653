"""The reader's panel updated in place (static/annotations/panel.js).

The panel's forms post to the same views with or without JavaScript. panel.js marks its requests with the header
`X-Requested-With: fetch` and sends the highlights key of the text it shows (`X-Highlights`); those requests get JSON
instead of a redirect: the panel's HTML, the article column's HTML only when its highlights changed, the message and
the id of the element it belongs beside. A refused form comes back the same way with its errors (400, or 409 for a
conflict), so nothing typed is lost. Without the header nothing changes: a redirect, or the whole page with errors.
"""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from .. import roles
from ..models import Claim, Evidence
from .common import role_required

FETCH_HEADER = "X-Requested-With"
FETCH_VALUE = "fetch"


def wants_fragment(request) -> bool:
    return request.headers.get(FETCH_HEADER) == FETCH_VALUE


def fragment_response(
    request, context: dict, *, status: int = 200, message: str = "", level: str = "success", where: str = ""
) -> JsonResponse:
    """The panel (and the article column when its highlights changed) of a rendered reader context, as JSON."""
    fragments = context["fragments"]
    selected = context.get("selected")
    data = {
        "panel": render_to_string("annotations/_reader_panel.html", context, request=request),
        "highlights": fragments["highlights"],
        "message": message,
        "level": level if message else "",
        "where": where,
        "url": f"?claim={selected.pk}" if selected is not None else "",
    }
    if request.headers.get("X-Highlights") != fragments["highlights"]:
        data["article"] = fragments["article"]
    response = JsonResponse(data, status=status)
    patch_vary_headers(response, [FETCH_HEADER])
    add_never_cache_headers(response)
    return response


def evidence_is_pending(evidence: Evidence) -> bool:
    """Whether a worker is still to report on this evidence: its capture is in flight (the quote check follows)."""
    return evidence.capture is not None and evidence.capture.in_flight


@role_required(*roles.READ_EVIDENCE)
def evidence_status(request, claim_id: int):
    """The capture status and quote check of each piece of a claim's evidence, which panel.js polls while a capture
    is pending: small, so polling every few seconds costs two queries."""
    claim = get_object_or_404(Claim.objects.only("pk"), pk=claim_id)
    rows = list(
        Evidence.objects.filter(claim=claim)
        .select_related("capture")
        .defer("capture__text", "capture__headers", "capture__redirect_chain")
        .order_by("pk")
    )
    evidence = {
        str(row.pk): {
            "html": render_to_string("annotations/_evidence_status.html", {"evidence": row}),
            "pending": evidence_is_pending(row),
        }
        for row in rows
    }
    pending = any(row["pending"] for row in evidence.values())
    response = JsonResponse({"pending": pending, "evidence": evidence})
    add_never_cache_headers(response)
    return response
