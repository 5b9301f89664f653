"""The activity log (read-only)."""

from rest_framework import mixins

from ...models import Activity
from .. import filters
from .. import serializers as s
from .common import ApiViewSet


class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The append-only record of every state change."""

    queryset = Activity.objects.select_related("actor")
    serializer_class = s.ActivitySerializer
    filterset_class = filters.ActivityFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
