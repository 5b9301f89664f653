"""The claims export, as CSV or as a JSON array, with the claims list's filters."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, renderers

from .. import filters
from ..base import APIDefaults
from ..export import CSVRenderer, claims_for_export, export_response

EXPORT_EVIDENCE_SCHEMA = {
    "type": "object",
    "properties": {
        "url": {"type": "string"},
        "stance": {"type": "string"},
        "quote": {"type": "string"},
        "quote_status": {"type": "string"},
        "capture_url": {"type": "string", "nullable": True, "description": "The capture's page in the app."},
        "snapshot_url": {"type": "string", "nullable": True, "description": "The stored body, once fetched."},
    },
}
EXPORT_CLAIM_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "description": "The CSV export's columns (claim, article, outlet, verdict), with `evidence` as a list.",
        "properties": {
            "claim_id": {"type": "integer"},
            "evidence": {"type": "array", "items": EXPORT_EVIDENCE_SCHEMA},
        },
        "additionalProperties": True,
    },
}
EXPORT_FILTERS = "The same filters as /api/claims/, `q` included. Streamed: large exports start at once."


@extend_schema(
    description="Claims with their verdicts and evidence (URLs, quotes, quote status, capture and snapshot links) "
    "as CSV: UTF-8 with a BOM (for Excel), one row per claim, one numbered line per evidence in the evidence_* "
    "cells, formula-like cells quoted. " + EXPORT_FILTERS,
    responses={(200, "text/csv"): OpenApiTypes.STR},
)
class ClaimExportView(APIDefaults, generics.GenericAPIView):
    queryset = claims_for_export()
    filterset_class = filters.ClaimFilter
    filter_backends = filters.SEARCH_BACKENDS
    ordering_fields = ["created_at", "id"]
    ordering = ["article", "start", "id"]
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]
    pagination_class = None
    export_format = "csv"

    def get(self, request):
        return export_response(self.filter_queryset(self.get_queryset()), self.export_format, user=request.user)


@extend_schema(
    description="The claims of the CSV export as a JSON array, each with its evidence as a list. " + EXPORT_FILTERS,
    responses={200: OpenApiResponse(EXPORT_CLAIM_SCHEMA)},
)
class ClaimJSONExportView(ClaimExportView):
    renderer_classes = [renderers.JSONRenderer]
    export_format = "json"
