"""The W3C Web Annotation Protocol container of claims (https://www.w3.org/TR/annotation-protocol/) at /annotations/.

GET /annotations/ is the container (an ldp:BasicContainer and AnnotationCollection) with its first page embedded;
GET /annotations/?page=N is an AnnotationPage; GET /annotations/{id} is one annotation with an ETag; POST to the
container creates a claim from a posted annotation.
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.cache import get_conditional_response
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, renderers, status
from rest_framework.metadata import SimpleMetadata
from rest_framework.response import Response

from .. import blind_review, selectors, services
from ..webannotation import (
    ANNO_CONTEXT,
    MEDIA_TYPE,
    SERVICE_FIELDS,
    absolute,
    annotation_url,
    claim_annotation,
    etag,
    parse_annotation,
)
from .base import APIDefaults, StrictJSONParser

LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
CONSTRAINED_BY = '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"


class AnnotationRenderer(renderers.JSONRenderer):
    """JSON-LD, labelled with the annotation profile (see AnnotationView.finalize_response).

    DRF would match a media type with a profile parameter only against an Accept header with the same profile
    (not `*/*` or plain `application/ld+json`), so the profile is added to the Content-Type after negotiation.
    """

    media_type = "application/ld+json"
    format = "jsonld"


class JSONLDParser(StrictJSONParser):
    media_type = "application/ld+json"


ANNOTATION_SCHEMA = {
    "type": "object",
    "description": "A W3C Web Annotation (JSON-LD). Selector offsets are code points of the stored revision text.",
    "required": ["@context", "type", "target"],
    "properties": {
        "@context": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "id": {"type": "string"},
        "type": {"type": "string"},
        "motivation": {"type": "string"},
        "created": {"type": "string"},
        "modified": {"type": "string"},
        "creator": {"type": "object"},
        "target": {
            "type": "object",
            "required": ["source", "selector"],
            "properties": {
                "source": {"type": "string", "description": "The article URL or a revision's API URL."},
                "selector": {"type": "array", "items": {"type": "object"}},
            },
        },
        "body": {"type": "array", "items": {"type": "object"}},
    },
}
PAGE_SCHEMA = {
    "type": "object",
    "description": "The container (BasicContainer + AnnotationCollection with `first` embedded) or, with `page`, "
    "an AnnotationPage.",
    "required": ["@context", "id", "type"],
    "properties": {
        "@context": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "id": {"type": "string"},
        "type": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "total": {"type": "integer"},
        "first": {"oneOf": [{"type": "string"}, {"type": "object"}]},
        "last": {"type": "string"},
        "items": {"type": "array", "items": {"oneOf": [{"type": "string"}, ANNOTATION_SCHEMA]}},
    },
}


class AnnotationMetadata(SimpleMetadata):
    """OPTIONS: what the resource renders and parses (there is no serializer to describe)."""

    def determine_metadata(self, request, view):
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [MEDIA_TYPE, "application/json"],
            "parses": [MEDIA_TYPE, "application/json"] if hasattr(view, "post") else [],
        }


class AnnotationView(APIDefaults, generics.GenericAPIView):
    metadata_class = AnnotationMetadata
    renderer_classes = [AnnotationRenderer, renderers.JSONRenderer]
    parser_classes = [JSONLDParser, StrictJSONParser]
    queryset = selectors.claims_for_api()
    pagination_class = None
    filter_backends = []

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(getattr(request, "accepted_renderer", None), AnnotationRenderer):
            response.content_type = MEDIA_TYPE
        response["Vary"] = "Accept, Prefer, Authorization, Cookie"
        return response


def _with_etag(request, document: dict, **kwargs) -> Response:
    """The document with its ETag, or Django's 304 (If-None-Match) or 412 (If-Match) when a precondition says so."""
    tag = etag(document)
    response = Response(document, **kwargs)
    response["ETag"] = tag
    return get_conditional_response(request, etag=tag, response=response)


class AnnotationContainer(AnnotationView):
    page_size = 50
    may_be_not_found = True  # a page past the last one

    def get_queryset(self):
        return super().get_queryset().filter(withdrawn_at__isnull=True)  # withdrawn claims leave the collection

    def container_url(self, **query) -> str:
        url = absolute(reverse("annotation-list"))
        params = "&".join(f"{key}={value}" for key, value in query.items())
        return f"{url}?{params}" if params else url

    def _page(self, number: int, total: int, iris: bool) -> dict:
        claims = self.get_queryset().order_by("id")[number * self.page_size : (number + 1) * self.page_size]
        hidden = blind_review.hidden_claim_ids(self.request.user)
        items = [
            annotation_url(claim.pk) if iris else claim_annotation(claim, hide_verdict=claim.pk in hidden)
            for claim in claims
        ]
        flags = {"iris": 1} if iris else {}
        page = {
            "id": self.container_url(**flags, page=number),
            "type": "AnnotationPage",
            "partOf": {"id": self.container_url(**flags), "total": total},
            "startIndex": number * self.page_size,
            "items": items,
        }
        if number > 0:
            page["prev"] = self.container_url(**flags, page=number - 1)
        if (number + 1) * self.page_size < total:
            page["next"] = self.container_url(**flags, page=number + 1)
        return page

    @extend_schema(
        operation_id="annotations_container",
        description="The annotation container; `?page=N` (from 0) for one AnnotationPage. Send "
        f'`Prefer: return=representation;include="{PREFER_IRIS}"` (or `?iris=1`) for item IRIs instead of '
        f"annotations, or include `{PREFER_MINIMAL}` for the container without its first page.",
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 0."),
            OpenApiParameter("iris", OpenApiTypes.INT, enum=[0, 1], description="1: items are annotation IRIs."),
        ],
        responses={200: OpenApiResponse(PAGE_SCHEMA), 304: OpenApiResponse(description="Not modified (ETag).")},
    )
    def get(self, request):
        prefer = request.headers.get("Prefer", "")
        iris = request.query_params.get("iris") == "1" or PREFER_IRIS in prefer
        if request.query_params.get("iris") not in (None, "0", "1"):
            raise exceptions.ValidationError({"iris": ["Must be 0 or 1."]})
        total = self.get_queryset().count()
        last = max(0, (total - 1) // self.page_size)
        raw_page = request.query_params.get("page")
        headers = {
            "Link": f'<http://www.w3.org/ns/ldp#BasicContainer>; rel="type", {CONSTRAINED_BY}',
            "Allow": "GET, POST, HEAD, OPTIONS",
            "Accept-Post": MEDIA_TYPE,
        }
        if raw_page is not None:
            if not raw_page.isdigit() or len(raw_page) > 9:
                raise exceptions.ValidationError({"page": ["Must be a whole number from 0."]})
            number = int(raw_page)
            if number > last:
                raise exceptions.NotFound(f"There are {last + 1} pages (0-{last}).")
            document = {"@context": ANNO_CONTEXT, **self._page(number, total, iris)}
            return _with_etag(request, document, headers=headers)
        flags = {"iris": 1} if iris else {}
        document = {
            "@context": [ANNO_CONTEXT, LDP_CONTEXT],
            "id": self.container_url(**flags),
            "type": ["BasicContainer", "AnnotationCollection"],
            "label": "Claims to check",
            "total": total,
        }
        if total:
            document["first"] = (
                self.container_url(**flags, page=0) if PREFER_MINIMAL in prefer else self._page(0, total, iris)
            )
            document["last"] = self.container_url(**flags, page=last)
        return _with_etag(request, document, headers=headers)

    @extend_schema(
        operation_id="annotations_create",
        description="Create a claim from a W3C annotation: `target.source` is the article URL (its newest "
        "revision) or a revision's API URL; a TextQuoteSelector and/or a TextPositionSelector (code-point offsets) "
        "are checked against the stored text. A `describing` TextualBody (or `bodyValue`) is the short statement.",
        request={MEDIA_TYPE: ANNOTATION_SCHEMA, "application/json": ANNOTATION_SCHEMA},
        responses={201: OpenApiResponse(ANNOTATION_SCHEMA)},
    )
    def post(self, request):
        try:
            arguments = parse_annotation(request.data)
            claim = services.claim_create(actor=request.user, **arguments)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            raise exceptions.ValidationError(
                {SERVICE_FIELDS.get(field, field): messages for field, messages in error.message_dict.items()}
            ) from None
        document = claim_annotation(self.get_queryset().get(pk=claim.pk))
        return Response(
            document,
            status=status.HTTP_201_CREATED,
            headers={
                "Location": document["id"],
                "ETag": etag(document),
                "Link": '<http://www.w3.org/ns/ldp#Resource>; rel="type"',
            },
        )


class AnnotationDetail(AnnotationView):
    @extend_schema(
        operation_id="annotations_retrieve",
        description="One claim as a W3C Web Annotation, with an ETag (send If-None-Match for 304).",
        responses={200: OpenApiResponse(ANNOTATION_SCHEMA), 304: OpenApiResponse(description="Not modified (ETag).")},
    )
    def get(self, request, pk: int):
        claim = self.get_object()
        document = claim_annotation(claim, hide_verdict=blind_review.is_hidden_from(request.user, claim.pk))
        headers = {
            "Link": f'<http://www.w3.org/ns/ldp#Resource>; rel="type", {CONSTRAINED_BY}',
            "Allow": "GET, HEAD, OPTIONS",
        }
        return _with_etag(request, document, headers=headers)
