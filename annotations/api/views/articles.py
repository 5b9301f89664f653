"""Articles and their revisions: import an article (idempotently), add a revision."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from ... import services
from ...models import Article, ArticleRevision, Claim
from .. import filters
from .. import serializers as s
from ..assignment_serializers import AssignmentSerializer, AssignmentWriteSerializer
from .common import READ_CREATE, ApiViewSet, created


def _count(model, field: str):
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")[:1], output_field=IntegerField()), 0)


def articles_for_api():
    newest = ArticleRevision.objects.filter(article=OuterRef("pk")).order_by("-number").values("pk")[:1]
    return (
        Article.objects.defer("search_vector")
        .select_related("created_by")
        .annotate(
            current_revision_id=Subquery(newest),
            revision_count=_count(ArticleRevision, "article"),
            claim_count=_count(Claim, "article"),
        )
    )


@extend_schema_view(
    create=extend_schema(
        description="Import an article (idempotent: the same URL and text add nothing; the same URL with new "
        "text adds a revision). 201 when something was stored, 200 when it was already there.",
        responses={201: s.ArticleSerializer, 200: s.ArticleSerializer},
    )
)
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Articles. Their texts are in revisions (`/api/revisions/?article=ID`); the newest is `current_revision`."""

    queryset = articles_for_api()
    serializer_class = s.ArticleSerializer
    write_serializer_class = s.ArticleWriteSerializer
    filterset_class = filters.ArticleFilter
    filter_backends = filters.SEARCH_BACKENDS
    ordering_fields = ["published_date", "created_at", "title", "id"]
    ordering = ["-published_date", "-created_at", "-id"]
    http_method_names = READ_CREATE

    def create(self, request):
        result = services.article_import(actor=request.user, **self.validated())
        article = self.get_queryset().get(pk=result.article.pk)
        return created(s.ArticleSerializer, article, result.article_created or result.revision_created)

    @extend_schema(request=AssignmentWriteSerializer, responses={200: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def assignment(self, request, pk=None):
        """Assign the article's checker and reviewer and its due date, as for a claim (the same rules and 400s)."""
        article = self.get_object()
        fields = self.validated(AssignmentWriteSerializer)
        assignment = services.assign(actor=request.user, article=article, **fields)
        return Response(AssignmentSerializer(assignment).data)


@extend_schema_view(
    create=extend_schema(
        description="Add a revision (new text) to an article; claims are re-anchored on it. 200 if the text is "
        "already a revision.",
        responses={201: s.RevisionDetailSerializer, 200: s.RevisionDetailSerializer},
    )
)
class RevisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Immutable text snapshots of articles. Claim offsets are code-point indices into `text`."""

    queryset = ArticleRevision.objects.select_related("created_by")
    serializer_class = s.RevisionSerializer
    write_serializer_class = s.RevisionWriteSerializer
    filterset_class = filters.RevisionFilter
    ordering_fields = ["number", "created_at", "id"]
    ordering = ["article", "number"]
    http_method_names = READ_CREATE

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.defer("text") if self.action == "list" else queryset

    def get_serializer_class(self):
        return s.RevisionDetailSerializer if self.action == "retrieve" else super().get_serializer_class()

    def create(self, request):
        data = self.validated()
        revision, is_new = services.revision_add(actor=request.user, **data)
        return created(s.RevisionDetailSerializer, revision, is_new)
