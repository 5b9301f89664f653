"""The discussion in the API: a claim's thread (`GET/POST /api/claims/{id}/comments/`), one comment
(`PATCH/DELETE /api/comments/{id}/`) and the desk's members for @mention autocomplete (`GET /api/desk-members/`)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.base import APIDefaults
from annotations.api.serializers import StrictSerializer
from annotations.models import Claim

from . import services
from .models import BODY_MAX, Comment

MEMBERS_LIMIT = 10


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username", read_only=True)
    body = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    mentions = serializers.SerializerMethodField()
    removed = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "claim", "author", "body", "body_html", "mentions", "created_at", "edited_at", "removed"]

    def get_body(self, comment) -> str:
        return "" if comment.is_removed else comment.body

    def get_body_html(self, comment) -> str:
        return "" if comment.is_removed else comment.body_html

    def get_mentions(self, comment) -> list[str]:
        return [] if comment.is_removed else [user.get_username() for user in comment.mentions.all()]

    def get_removed(self, comment) -> bool:
        return comment.is_removed


class CommentWrite(StrictSerializer):
    body = serializers.CharField(max_length=BODY_MAX, allow_blank=False, trim_whitespace=True)


def _call(service, **kwargs):
    """A service call with Django's refusals as DRF's: 403 naming the rule, 400 naming the field."""
    try:
        return service(**kwargs)
    except DjangoPermissionDenied as refusal:
        raise exceptions.PermissionDenied(str(refusal)) from None
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else error.messages
        raise exceptions.ValidationError(detail) from None


class ClaimComments(APIDefaults, APIView):
    pagination_class = None

    def get_queryset(self):
        return Claim.objects.all()  # for CanViewModel: the claim's view permission

    @extend_schema(operation_id="claims_comments_list", tags=["discussion"], responses=CommentSerializer(many=True))
    def get(self, request, pk: int):
        claim = get_object_or_404(Claim, pk=pk)
        comments = services.thread(claim.pk).prefetch_related("mentions")
        return Response({"results": CommentSerializer(comments, many=True).data})

    @extend_schema(
        operation_id="claims_comments_create", tags=["discussion"], request=CommentWrite, responses=CommentSerializer
    )
    def post(self, request, pk: int):
        claim = get_object_or_404(Claim.objects.select_related("article"), pk=pk)
        data = CommentWrite(data=request.data)
        data.is_valid(raise_exception=True)
        comment = _call(services.comment_add, actor=request.user, claim=claim, body=data.validated_data["body"])
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentDetail(APIDefaults, APIView):
    pagination_class = None

    def get_queryset(self):
        return Claim.objects.all()

    def comment(self, pk: int) -> Comment:
        return get_object_or_404(Comment.objects.select_related("author", "claim__article"), pk=pk)

    @extend_schema(operation_id="comments_retrieve", tags=["discussion"], responses=CommentSerializer)
    def get(self, request, pk: int):
        return Response(CommentSerializer(self.comment(pk)).data)

    @extend_schema(
        operation_id="comments_partial_update", tags=["discussion"], request=CommentWrite, responses=CommentSerializer
    )
    def patch(self, request, pk: int):
        comment = self.comment(pk)
        data = CommentWrite(data=request.data)
        data.is_valid(raise_exception=True)
        comment = _call(services.comment_edit, actor=request.user, comment=comment, body=data.validated_data["body"])
        return Response(CommentSerializer(comment).data)

    @extend_schema(operation_id="comments_destroy", tags=["discussion"], request=None, responses=CommentSerializer)
    def delete(self, request, pk: int):
        comment = _call(services.comment_remove, actor=request.user, comment=self.comment(pk))
        return Response(CommentSerializer(comment).data)


class MemberSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()


class MemberListSerializer(serializers.Serializer):
    results = MemberSerializer(many=True)


class DeskMembers(APIDefaults, APIView):
    """Desk members whose username or name starts with `q`: the comment box's @ autocomplete."""

    pagination_class = None

    def get_queryset(self):
        return Claim.objects.all()  # who may read claims may see who works on them

    @extend_schema(
        operation_id="desk_members_list",
        tags=["discussion"],
        parameters=[OpenApiParameter("q", str, description="The start of a username or name.")],
        responses=MemberListSerializer,
    )
    def get(self, request):
        query = request.query_params.get("q", "").strip().lstrip("@")[:150]
        members = services.desk_members().order_by("username")
        if query:
            members = members.filter(
                Q(username__istartswith=query) | Q(first_name__istartswith=query) | Q(last_name__istartswith=query)
            )
        rows = [
            {"username": user.get_username(), "name": user.get_full_name() or user.get_username()}
            for user in members[:MEMBERS_LIMIT]
        ]
        return Response({"results": rows})
