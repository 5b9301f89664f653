from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import render

from .. import health
from ..claimreview import claim_review
from ..middleware import RETRY_AFTER_SECONDS
from ..models import Correction, Evidence, Verdict
from ..textquote import sentence_around


def published_factchecks(request):
    verdicts = (
        Verdict.objects.filter(status=Verdict.Status.PUBLISHED)
        .select_related("claim__article__outlet", "rating")
        .order_by("-published_at")
    )
    page = Paginator(verdicts, 25).get_page(request.GET.get("page"))
    return render(request, "annotations/public_index.html", {"page": page})


def public_factcheck(request, claim_id: int):
    """The published fact-check, readable without logging in; nothing unpublished is ever shown here."""
    verdict = (
        Verdict.objects.select_related("claim__article__outlet", "claim__revision", "rating")
        .prefetch_related(
            Prefetch("claim__evidence", queryset=Evidence.objects.select_related("source")),
            Prefetch("corrections", queryset=Correction.objects.select_related("previous_rating")),
        )
        .filter(claim_id=claim_id, status=Verdict.Status.PUBLISHED)
        .first()
    )
    if verdict is None:
        return _withdrawn_or_404(request, claim_id)
    claim = verdict.claim
    sentence = sentence_around(claim.revision.text, claim.start, claim.end)
    return render(
        request,
        "annotations/public_factcheck.html",
        {"verdict": verdict, "claim": claim, "sentence": sentence, "claim_review": claim_review(verdict)},
    )


def _withdrawn_or_404(request, claim_id: int):
    """A fact-check taken down after publication says so (410 Gone, with the date and reason), and nothing more."""
    taken_down = (
        Verdict.objects.filter(claim_id=claim_id, unpublished_at__isnull=False)
        .exclude(status=Verdict.Status.PUBLISHED)
        .values("unpublished_at", "unpublish_reason")
        .first()
    )
    if taken_down is None:
        raise Http404("No published fact-check here.")
    return render(request, "annotations/public_withdrawn.html", taken_down, status=410)


def healthz(request):
    """200 when the database and the broker answer, else 503; the JSON says which is down (each check is short)."""
    report = health.report()
    response = JsonResponse(report, status=200 if report["status"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    if report["status"] != "ok":
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
