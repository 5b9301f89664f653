"""The source registry: everyone signed in reads it, admins change it."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.response import Response

from ... import services
from ...models import Source
from .. import filters
from .. import serializers as s
from .common import READ_WRITE, ApiViewSet, created


@extend_schema_view(
    create=extend_schema(responses={201: s.SourceSerializer}),
    partial_update=extend_schema(responses={200: s.SourceSerializer}),
)
class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The source registry: everyone signed in reads it, admins change it."""

    queryset = Source.objects.all()
    serializer_class = s.SourceSerializer
    write_serializer_class = s.SourceWriteSerializer
    filterset_class = filters.SourceFilter
    ordering_fields = ["name", "domain", "created_at", "id"]
    ordering = ["name", "id"]
    http_method_names = READ_WRITE

    def create(self, request):
        return created(s.SourceSerializer, services.source_save(actor=request.user, **self.validated()))

    def partial_update(self, request, pk=None):
        source = self.get_object()
        serializer = s.SourceWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        source = services.source_save(actor=request.user, source=source, **serializer.validated_data)
        return Response(s.SourceSerializer(source).data)
