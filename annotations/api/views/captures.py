"""Captures of evidence URLs by the workers (read-only)."""

from rest_framework import mixins

from ... import selectors
from ...models import Capture
from .. import filters
from .. import serializers as s
from .common import ApiViewSet


class CaptureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Fetches of evidence URLs by the workers (read-only)."""

    queryset = Capture.objects.defer("text", "headers")
    serializer_class = s.CaptureSerializer
    filterset_class = filters.CaptureFilter
    ordering_fields = ["created_at", "finished_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.capture_for_page() if self.action == "retrieve" else super().get_queryset()

    def get_serializer_class(self):
        return s.CaptureDetailSerializer if self.action == "retrieve" else s.CaptureSerializer
