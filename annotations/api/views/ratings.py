"""The rating labels a verdict can use (read-only)."""

from rest_framework import mixins

from ...models import Rating
from .. import serializers as s
from .common import ApiViewSet


class RatingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The rating labels a verdict can use."""

    queryset = Rating.objects.select_related("scale")
    serializer_class = s.RatingSerializer
    filterset_fields = ["scale"]
    ordering_fields = ["position", "value", "id"]
    ordering = ["scale", "position"]
