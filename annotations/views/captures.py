"""Capture pages: status and reason, the extracted text, the raw snapshot as a download, and retry for editors.

The snapshot is whatever the source's server sent. It is never rendered in this origin: it goes out as an
attachment of type application/octet-stream with nosniff and a sandboxing CSP, so that even a browser that
ignored the attachment disposition would run no script of it with this site's cookies.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import services
from ..models import Capture
from ..selectors import capture_for_page

SNAPSHOT_CSP = "sandbox; default-src 'none'"


def snapshot_response(capture: Capture) -> FileResponse:
    """The stored body as a download; shared with the API."""
    if not capture.body:
        raise Http404("This capture has no stored snapshot.")
    try:
        handle = capture.body.open("rb")
    except OSError:
        raise Http404("The stored snapshot cannot be read.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"capture-{capture.pk}-{capture.sha256[:12]}.bin",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SNAPSHOT_CSP
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@permission_required("annotations.view_capture", raise_exception=True)
def capture_detail(request, pk: int):
    capture = get_object_or_404(capture_for_page(), pk=pk)
    return render(
        request,
        "annotations/capture_detail.html",
        {"capture": capture, "can_retry": request.user.has_perm("annotations.add_capture")},
    )


@login_required
@permission_required("annotations.view_capture", raise_exception=True)
def capture_snapshot(request, pk: int):
    return snapshot_response(get_object_or_404(Capture, pk=pk))


@require_POST
@login_required
def capture_retry(request, pk: int):
    capture = get_object_or_404(Capture, pk=pk)
    try:
        services.capture_retry(actor=request.user, capture=capture)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The capture will be fetched again.")
    return redirect("capture_detail", pk=capture.pk)
