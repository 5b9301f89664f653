"""`/api/revisions/{id}/suggestions/`: a revision's sentences ranked by check-worthiness, and the desk's no to one.

Routed from factcheck/urls.py ahead of annotations' API (which must not import this app); the views share its
defaults (token or session sign-in, JSON only, the error shapes the schema documents).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from annotations.api.base import APIDefaults
from annotations.api.serializers import MAX_INT, StrictSerializer
from annotations.models import ArticleRevision

from . import services
from .models import Dismissal

MAX_LIMIT = 10_000


class SuggestionSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="Code-point offset of the sentence's first character in `text`.")
    end = serializers.IntegerField(help_text="Code-point offset just past the sentence's last character.")
    text = serializers.CharField()
    score = serializers.FloatField(help_text="0..1, higher deserves a check more (an order, not a probability).")
    claimed = serializers.BooleanField(help_text="A live claim on this revision overlaps the sentence.")
    dismissed = serializers.BooleanField(help_text="An editor dismissed it (here, or on an earlier revision).")


class SuggestionListSerializer(serializers.Serializer):
    results = SuggestionSerializer(many=True)


BAD_LIMIT = f"limit must be a whole number from 1 to {MAX_LIMIT}."


class SuggestionQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        help_text="At most this many (the best ones).",
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value", "max_string_length"), BAD_LIMIT),
    )
    claimed = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="Only these.")
    dismissed = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="Only these.")


class DismissalWriteSerializer(StrictSerializer):
    start = serializers.IntegerField(min_value=0, max_value=MAX_INT)
    end = serializers.IntegerField(min_value=0, max_value=MAX_INT)


class DismissalSerializer(serializers.ModelSerializer):
    dismissed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Dismissal
        fields = ["revision", "start", "end", "text", "dismissed_by", "at"]
        read_only_fields = fields


class RevisionScoped(APIDefaults, generics.GenericAPIView):
    """Readable by whoever may read revisions (CanViewModel on this queryset)."""

    queryset = ArticleRevision.objects.all()
    pagination_class = None

    def revision(self) -> ArticleRevision:
        return get_object_or_404(ArticleRevision.objects.only("pk", "article_id", "text"), pk=self.kwargs["pk"])


class SuggestionsView(RevisionScoped):
    serializer_class = SuggestionListSerializer

    @extend_schema(
        operation_id="revisions_suggestions_list",
        summary="Sentences of a revision ranked by check-worthiness",
        description="Every sentence of the revision, best first (ties in text order), with code-point offsets "
        "into the revision's `text` (as claims use). The scorer is the desk's retrained model if there is one, "
        "else the default trained on the CLEF 2020 CheckThat! Task 5 debates. `limit` cuts the list; `claimed` "
        "and `dismissed` keep only sentences with that flag (`?claimed=false&dismissed=false`: still undecided).",
        parameters=[SuggestionQuerySerializer],
        responses={200: SuggestionListSerializer},
    )
    def get(self, request, pk: int):
        query = SuggestionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = services.suggestions(self.revision(), **query.validated_data)
        return Response({"results": SuggestionSerializer(found, many=True).data})


class DismissalsView(RevisionScoped):
    serializer_class = DismissalSerializer

    @extend_schema(
        operation_id="revisions_suggestions_dismissals_create",
        summary="Dismiss a suggested sentence",
        description="Record that the sentence `start`..`end` (a suggestion's span) needs no check. Editors and "
        "above. 201 when recorded, 200 when it was already dismissed; 400 for a span that is not a sentence of "
        "the revision. Retraining counts dismissed sentences as negatives.",
        request=DismissalWriteSerializer,
        responses={201: DismissalSerializer, 200: DismissalSerializer},
    )
    def post(self, request, pk: int):
        data = DismissalWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dismissal, created = services.dismiss(actor=request.user, revision=self.revision(), **data.validated_data)
        return Response(
            DismissalSerializer(dismissal).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
