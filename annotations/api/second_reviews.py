"""The API of blind second review: a claim's second review (`/api/claims/{id}/second-review/`), the second
checker's rating (`/api/claims/{id}/second-rating/`) and the desk's setting (`/api/desk-settings/`).

The first verdict is never part of these answers for its unrated second checker; for everyone else the second
review carries both ratings, which is what a reviewer compares before approving."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import blind_review, services
from ..models import Rating, verdict_of
from .base import APIDefaults
from .serializers import StrictSerializer


class RatingBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    value = serializers.IntegerField(allow_null=True)


class SecondReviewSerializer(serializers.Serializer):
    claim = serializers.IntegerField()
    required = serializers.BooleanField(help_text="Whether approval waits for the second rating.")
    required_by = serializers.ChoiceField(
        choices=["claim", "desk"], help_text="Whether the claim's own switch or the desk's setting decides."
    )
    checker = serializers.CharField(allow_null=True, help_text="Username of the second checker, once chosen.")
    rating = RatingBriefSerializer(allow_null=True, help_text="The second rating, once given.")
    explanation = serializers.CharField(allow_blank=True)
    rated_at = serializers.DateTimeField(allow_null=True)
    first_rating = RatingBriefSerializer(
        allow_null=True, help_text="The verdict's rating, beside the second; null while it is hidden from you."
    )
    first_hidden = serializers.BooleanField(help_text="True while you are the second checker and have not rated.")


class SecondReviewWriteSerializer(StrictSerializer):
    required = serializers.BooleanField(
        allow_null=True, required=False, help_text="true asks for a second rating, false waives it, null: the desk."
    )
    checker = serializers.CharField(required=False, help_text="Username of the second checker.")


class SecondRatingWriteSerializer(StrictSerializer):
    rating = serializers.PrimaryKeyRelatedField(queryset=Rating.objects.all())
    explanation = serializers.CharField(required=False, allow_blank=True, max_length=20000)


class DeskSettingsSerializer(StrictSerializer):
    blind_second_review = serializers.BooleanField(
        help_text="Every claim needs an independent second rating before approval (admins change it)."
    )


def _brief(rating):
    return None if rating is None else {"id": rating.pk, "label": rating.label, "value": rating.value}


def second_review_document(user, claim) -> dict:
    review = blind_review.second_review_of(claim)
    hidden = blind_review.is_hidden_from(user, claim.pk)
    verdict = None if hidden else verdict_of(claim)
    rated = review is not None and review.rated_at is not None
    return {
        "claim": claim.pk,
        "required": blind_review.second_rating_required(review),
        "required_by": "claim" if review is not None and review.required is not None else "desk",
        "checker": review.checker.get_username() if review is not None and review.checker else None,
        "rating": _brief(review.rating) if rated else None,
        "explanation": review.explanation if rated else "",
        "rated_at": review.rated_at if rated else None,
        "first_rating": _brief(verdict.rating) if verdict is not None else None,
        "first_hidden": hidden,
    }


class SecondReviewActions:
    """Actions of ClaimViewSet (get_object and validated come from it)."""

    @extend_schema(methods=["GET"], request=None, responses=SecondReviewSerializer)
    @extend_schema(
        methods=["POST"],
        request=SecondReviewWriteSerializer,
        responses=SecondReviewSerializer,
        description="Ask for (or waive) the claim's second rating and choose its checker: reviewers and admins. "
        "400 names the field: a checker who worked on the claim, the wrong role, a rating already given.",
    )
    @action(detail=True, methods=["get", "post"], url_path="second-review")
    def second_review(self, request, pk=None):
        """The claim's blind second review: whether it is needed, who rates, and both ratings once given."""
        claim = self.get_object()
        if request.method == "POST":
            data = self.validated(SecondReviewWriteSerializer)
            services.second_review_update(actor=request.user, claim=claim, **data)
        return Response(second_review_document(request.user, claim))

    @extend_schema(request=SecondRatingWriteSerializer, responses=SecondReviewSerializer)
    @action(detail=True, methods=["post"], url_path="second-rating")
    def second_rating(self, request, pk=None):
        """The second checker's independent rating (final once saved); the answer then shows the first beside it."""
        claim = self.get_object()
        services.second_rating_save(actor=request.user, claim=claim, **self.validated(SecondRatingWriteSerializer))
        return Response(second_review_document(request.user, claim))


class DeskSettingsView(APIDefaults, APIView):
    """The desk's settings: read by every signed-in member, changed by admins."""

    pagination_class = None

    def get_queryset(self):
        return Rating.objects.all()  # whoever may read ratings may read the desk's review rule

    @extend_schema(operation_id="desk_settings_retrieve", responses=DeskSettingsSerializer)
    def get(self, request):
        return Response({"blind_second_review": blind_review.desk_asks_second_rating()})

    @extend_schema(
        operation_id="desk_settings_update", request=DeskSettingsSerializer, responses=DeskSettingsSerializer
    )
    def patch(self, request):
        data = DeskSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        desk = services.desk_settings_save(actor=request.user, **data.validated_data)
        return Response({"blind_second_review": desk.blind_second_review})
