from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import condition

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


# Rendered fragments of a published fact-check, in the default cache (Redis or the database cache, shared by every
# worker; see CACHE_URL). The key holds the verdict's version and last change, so publishing, correcting or
# unpublishing makes a new key (or no page at all): nothing is ever served stale from here by a change of the verdict.
# What else the page shows (a source's name in the registry) is picked up within PUBLIC_PAGE_TTL seconds.
PUBLIC_PAGE_TTL = 300


def _published_stamp(request, claim_id: int):
    """(verdict id, version, updated_at) of the claim's published verdict: one indexed query, cached on the request."""
    if not hasattr(request, "_published_stamp"):
        request._published_stamp = (
            Verdict.objects.filter(claim_id=claim_id, status=Verdict.Status.PUBLISHED)
            .values_list("pk", "version", "updated_at")
            .first()
        )
    return request._published_stamp


def _public_etag(request, claim_id: int) -> str | None:
    # Signed-in visitors see their own navigation (role, notices): only the anonymous page is the same for everyone.
    stamp = _published_stamp(request, claim_id)
    if stamp is None or request.user.is_authenticated:
        return None
    return f"{claim_id}-{stamp[0]}-{stamp[1]}-{stamp[2].timestamp():.6f}"


def _public_fragments(claim_id: int, stamp) -> dict:
    key = f"public-factcheck:{claim_id}:{stamp[0]}:{stamp[1]}:{stamp[2].timestamp():.6f}"
    fragments = cache.get(key)
    if fragments is None:
        verdict = (
            Verdict.objects.select_related("claim__article__outlet", "claim__revision", "rating")
            .defer("claim__article__search_vector")
            .prefetch_related(
                Prefetch("claim__evidence", queryset=Evidence.objects.select_related("source")),
                Prefetch("corrections", queryset=Correction.objects.select_related("previous_rating")),
            )
            .get(pk=stamp[0])
        )
        claim = verdict.claim
        context = {
            "verdict": verdict,
            "claim": claim,
            "sentence": sentence_around(claim.revision.text, claim.start, claim.end),
            "claim_review": claim_review(verdict),
        }
        fragments = {
            "title": Truncator(claim.claim_reviewed or claim.exact).chars(70),
            "head": render_to_string("annotations/_public_factcheck_head.html", context),
            "body": render_to_string("annotations/_public_factcheck_body.html", context),
        }
        cache.set(key, fragments, PUBLIC_PAGE_TTL)
    return {**fragments, "head": mark_safe(fragments["head"]), "body": mark_safe(fragments["body"])}  # noqa: S308


@condition(etag_func=_public_etag)
def public_factcheck(request, claim_id: int):
    """The published fact-check, readable without logging in; nothing unpublished is ever shown here.

    Anonymous readers get an ETag (a conditional GET answers 304) and may cache the page, revalidating each time.
    """
    stamp = _published_stamp(request, claim_id)
    if stamp is None:
        return _withdrawn_or_404(request, claim_id)
    response = render(request, "annotations/public_factcheck.html", {"fragments": _public_fragments(claim_id, stamp)})
    if not request.user.is_authenticated:
        response["Cache-Control"] = "public, no-cache"  # stored, but checked against the ETag on every use
    return response


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
