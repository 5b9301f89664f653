from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from ..claimreview import claim_review
from ..models import Evidence, Verdict
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
    verdict = get_object_or_404(
        Verdict.objects.select_related("claim__article__outlet", "claim__revision", "rating").prefetch_related(
            Prefetch("claim__evidence", queryset=Evidence.objects.select_related("source"))
        ),
        claim_id=claim_id,
        status=Verdict.Status.PUBLISHED,
    )
    claim = verdict.claim
    sentence = sentence_around(claim.revision.text, claim.start, claim.end)
    return render(
        request,
        "annotations/public_factcheck.html",
        {"verdict": verdict, "claim": claim, "sentence": sentence, "claim_review": claim_review(verdict)},
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
