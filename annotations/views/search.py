"""The claim search page and its exports: the same filters (search.ClaimSearchFilter) as GET /api/claims/."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from .. import blind_review, roles
from ..api.export import claims_for_export, export_response
from ..models import Claim
from ..search import ClaimSearchFilter, filter_errors, offer_choices
from .assignments import assign_choices
from .common import role_required

PAGE_SIZE = 25


def _filterset(request, queryset) -> ClaimSearchFilter:
    # Withdrawn claims stay out, as in the other lists; the default order is newest first.
    queryset = ClaimSearchFilter.in_play(queryset).order_by("-created_at", "-id")
    return ClaimSearchFilter(request.GET, queryset=queryset, request=request)


@role_required(*roles.LIST_CLAIMS)
def claim_search(request):
    claims = Claim.objects.select_related(
        "article__outlet", "author", "verdict__rating", "assignment__checker", "assignment__reviewer"
    )
    claims = claims.defer("article__search_vector", "prefix", "suffix", "anchor_exact", "reattached_exact")
    filterset = _filterset(request, claims)
    valid = filterset.is_valid()
    offer_choices(filterset.form)
    page = Paginator(filterset.qs if valid else claims.none(), PAGE_SIZE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "annotations/claim_search.html",
        {
            "form": filterset.form,
            "page": page,
            "query_string": query_string.urlencode(),
            "searching": any(value for key, value in request.GET.items() if key != "page"),
            # Their verdict column stays empty for who is still to give their second rating (blind_review).
            "hidden_verdicts": blind_review.hidden_claim_ids(request.user),
            **assign_choices(request.user),
        },
        status=200 if valid else 400,
    )


@role_required(*roles.LIST_CLAIMS)
def claim_search_export(request, fmt: str):
    """The claims the search page shows with these filters, all of them (not one page), as CSV or JSON."""
    filterset = _filterset(request, claims_for_export())
    if not filterset.is_valid():
        return JsonResponse(filter_errors(filterset.form), status=400)
    return export_response(filterset.qs, fmt, user=request.user)
