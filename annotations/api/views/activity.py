"""The activity log (read-only)."""

from rest_framework import mixins

from ... import blind_review
from ...blind_review import VERDICT_ACTIONS
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

    def get_queryset(self):
        queryset = super().get_queryset()
        if hidden := blind_review.hidden_claim_ids(self.request.user):
            # The first verdict's history is hidden from its unrated second checker, as in the reader.
            queryset = queryset.exclude(claim_id__in=hidden, action__in=VERDICT_ACTIONS)
        return queryset
