"""Evidence for claims: add, edit, remove."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from ... import services
from ...models import Evidence
from .. import filters
from .. import serializers as s
from .common import READ_WRITE, ApiViewSet, created


@extend_schema_view(
    create=extend_schema(responses={201: s.EvidenceSerializer}),
    partial_update=extend_schema(
        request=s.EvidenceUpdateSerializer,
        description="Change url, stance, quote or note (not while the claim is in review, approved or published). "
        "A new URL requests a capture; a new quote is checked again.",
        responses={200: s.EvidenceSerializer},
    ),
    destroy=extend_schema(
        description="Remove the evidence (same rules as editing); the activity log keeps its URL and quote.",
        responses={204: None},
    ),
)
class EvidenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Evidence for claims: a source URL, the quoted passage and its stance."""

    queryset = Evidence.objects.select_related("author")
    serializer_class = s.EvidenceSerializer
    write_serializer_class = s.EvidenceWriteSerializer
    filterset_class = filters.EvidenceFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["claim_id", "created_at", "id"]
    http_method_names = [*READ_WRITE, "delete"]

    def get_serializer_class(self):
        return s.EvidenceUpdateSerializer if self.action == "partial_update" else super().get_serializer_class()

    def create(self, request):
        evidence = services.evidence_add(actor=request.user, **self.validated())
        return created(s.EvidenceSerializer, evidence)

    def partial_update(self, request, pk=None):
        evidence = services.evidence_update(actor=request.user, evidence=self.get_object(), **self.validated())
        return Response(s.EvidenceSerializer(self.get_queryset().get(pk=evidence.pk)).data)

    def destroy(self, request, pk=None):
        services.evidence_remove(actor=request.user, evidence=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
