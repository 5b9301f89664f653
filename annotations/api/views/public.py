"""The public feed: published fact-checks as ClaimReview, and their corrections (no sign-in needed)."""

from django.db.models import Max, Min
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from ... import selectors
from ...claimreview import claim_review
from ...models import Correction, Rating, Verdict
from .. import filters
from .. import serializers as s
from ..base import APIDefaults

CLAIM_REVIEW_SCHEMA = {
    "type": "object",
    "description": "schema.org ClaimReview JSON-LD (the document the public fact-check page embeds).",
    "required": ["@context", "@type", "url", "claimReviewed", "reviewRating", "itemReviewed", "author"],
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {"type": "string", "enum": ["ClaimReview"]},
        "url": {"type": "string", "format": "uri"},
        "claimReviewed": {"type": "string"},
        "datePublished": {"type": "string", "format": "date"},
        "reviewRating": {
            "type": "object",
            "required": ["@type", "alternateName"],
            "properties": {
                "@type": {"type": "string", "enum": ["Rating"]},
                "alternateName": {"type": "string"},
                "ratingValue": {"type": "integer"},
                "bestRating": {"type": "integer"},
                "worstRating": {"type": "integer"},
            },
        },
        "itemReviewed": {"type": "object", "required": ["@type", "appearance"]},
        "author": {"type": "object", "required": ["@type", "name"]},
    },
}


def claim_reviews(verdicts) -> list[dict]:
    """ClaimReviews of published verdicts with one query for the rating scales' bounds."""
    scale_ids = {verdict.rating.scale_id for verdict in verdicts}
    bounds = {
        row["scale_id"]: (row["worst"], row["best"])
        for row in Rating.objects.filter(scale_id__in=scale_ids)
        .values("scale_id")
        .annotate(worst=Min("value"), best=Max("value"))
    }
    return [claim_review(verdict, bounds.get(verdict.rating.scale_id, (None, None))) for verdict in verdicts]


@extend_schema_view(
    list=extend_schema(
        description="All published fact-checks as ClaimReview, newest first. Public: no sign-in needed.",
        responses={200: OpenApiResponse(CLAIM_REVIEW_SCHEMA)},
    ),
    retrieve=extend_schema(
        description="The ClaimReview of one published claim (by claim id). Public.",
        responses={200: OpenApiResponse(CLAIM_REVIEW_SCHEMA)},
    ),
)
class ClaimReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, APIDefaults, viewsets.GenericViewSet):
    permission_classes = [AllowAny]
    queryset = selectors.published_verdicts()
    lookup_field = "claim_id"
    lookup_url_kwarg = "claim_id"
    lookup_value_regex = r"[0-9]+"
    filter_backends = []

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(claim_reviews(page))

    def retrieve(self, request, claim_id=None):
        return Response(claim_reviews([self.get_object()])[0])


@extend_schema_view(
    list=extend_schema(description="Corrections of published fact-checks, newest first. Public: no sign-in needed."),
    retrieve=extend_schema(description="One correction of a published fact-check. Public."),
)
class CorrectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, APIDefaults, viewsets.GenericViewSet):
    permission_classes = [AllowAny]
    queryset = (
        Correction.objects.filter(verdict__status=Verdict.Status.PUBLISHED)
        .select_related("previous_rating", "verdict")
        .order_by("-created_at", "-id")
    )
    serializer_class = s.CorrectionSerializer
    filterset_class = filters.CorrectionFilter
