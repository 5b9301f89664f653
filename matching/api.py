"""`GET /api/fact-checks/similar/?text=...&limit=N`: has this been checked already?"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.base import APIDefaults

from . import search

MAX_TEXT = 5000  # a paragraph at most: the encoder reads the first 128 word pieces, the lexical part all of it


class SimilarQuery(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT, trim_whitespace=True)
    limit = serializers.IntegerField(min_value=1, max_value=search.MAX_LIMIT, default=5)


class MatchSerializer(serializers.Serializer):
    url = serializers.URLField(source="fact_check.url")
    claim_reviewed = serializers.CharField(source="fact_check.claim_reviewed")
    headline = serializers.CharField(source="fact_check.headline")
    publisher = serializers.CharField(source="fact_check.publisher_name")
    rating = serializers.CharField(source="fact_check.rating_name")
    date_published = serializers.DateField(source="fact_check.date_published", allow_null=True)
    score = serializers.FloatField(
        help_text="Cosine of the sentence embeddings plus a share of the words in common (Okapi BM25)."
    )
    claim = serializers.IntegerField(
        source="fact_check.claim_id", allow_null=True, help_text="Our claim's id for our own fact-checks, else null."
    )
    fact_check = serializers.IntegerField(source="fact_check.pk", help_text="The fact-check's id in the corpus.")


class SimilarFactChecks(APIDefaults, APIView):
    """The fact-checks nearest to a text, best first: our own published ones and those imported from other desks."""

    permission_classes = [IsAuthenticated]
    pagination_class = None

    @extend_schema(
        operation_id="fact_checks_similar",
        tags=["fact-checks"],
        parameters=[
            OpenApiParameter(
                "text", str, required=True, description=f"The statement (at most {MAX_TEXT} characters)."
            ),
            OpenApiParameter("limit", int, description=f"How many (1 to {search.MAX_LIMIT}, default 5)."),
        ],
        responses=inline_serializer("SimilarFactChecks", {"results": MatchSerializer(many=True)}),
    )
    def get(self, request):
        query = SimilarQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        matches = search.similar(query.validated_data["text"], query.validated_data["limit"])
        return Response({"results": MatchSerializer(matches, many=True).data})
