"""REST API views: each read goes through a queryset here or in selectors, each write through one service call."""

import hashlib

from django.db.models import Count, IntegerField, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .. import row_versions, selectors, services
from ..claimreview import claim_review
from ..models import (
    CLAIM_REVIEWED_MAX,
    Activity,
    Article,
    ArticleRevision,
    Capture,
    Claim,
    Correction,
    Evidence,
    Rating,
    Source,
    Verdict,
)
from . import claim_lists, filters
from . import serializers as s
from .base import APIDefaults
from .export import CSVRenderer, claims_for_export, export_response
from .representation import claim_documents, versioned_claim_documents

READ_WRITE = ["get", "post", "patch", "head", "options"]
READ_CREATE = ["get", "post", "head", "options"]


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


class ApiViewSet(APIDefaults, viewsets.GenericViewSet):
    write_serializer_class = None

    def get_serializer_class(self):
        if self.action in ("create", "partial_update", "update") and self.write_serializer_class:
            return self.write_serializer_class
        return self.serializer_class

    def validated(self, serializer_class=None) -> dict:
        serializer = (serializer_class or self.get_serializer_class())(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def created(serializer, instance, is_new: bool = True) -> Response:
    return Response(serializer(instance).data, status=status.HTTP_201_CREATED if is_new else status.HTTP_200_OK)


# --- Articles and revisions ------------------------------------------------------------------------------------------


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


# --- Claims, evidence, verdicts --------------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        description="Highlight `exact` = text[start:end] of a revision as a claim. Offsets are Python string indices "
        "(Unicode code points), not UTF-16 units; `exact`, `prefix` and `suffix` must match the stored text.",
        responses={201: s.ClaimSerializer},
    ),
    partial_update=extend_schema(responses={200: s.ClaimSerializer}),
)
class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Claims with their evidence, verdict and anchoring on the newest revision (read-only `anchor_*` fields)."""

    queryset = Claim.objects.all()
    serializer_class = s.ClaimSerializer
    filterset_class = filters.ClaimFilter
    filter_backends = filters.CLAIM_BACKENDS
    ordering_fields = ["created_at", "updated_at", "start", "id", "status"]
    ordering = ["-created_at", "-id"]
    http_method_names = READ_WRITE

    def get_serializer_class(self):
        if self.action == "create":
            return s.ClaimCreateSerializer
        if self.action == "partial_update":
            return s.ClaimUpdateSerializer
        return super().get_serializer_class()

    def get_object(self):
        # A withdrawn claim stays readable (and restorable) at its own URL; only the lists leave it out.
        claim = generics.get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, claim)
        return claim

    # Claims are rendered by representation.claim_documents (ClaimSerializer documents the shape).
    def list(self, request):
        key = claim_lists.key_for(request)
        response = claim_lists.stored_response(request, key)
        if response is None:
            response = self.list_from_database(request, key)
        response["Cache-Control"] = "private, no-cache"
        return response

    def list_from_database(self, request, key):
        claims = self.filter_queryset(self.get_queryset())
        rows = self.paginate_queryset(claims.values_list("pk", row_versions.claim_document_version()))
        # A conditional GET of the list: the ETag is made of the page's address, the count and each listed claim's
        # row versions (which change with the anchoring and capture fields too, unlike updated_at), so a client
        # that polls gets a small 304 when nothing changed, before any document is built.
        state = repr((request.get_full_path(), self.paginator.count, rows))
        etag = quote_etag(hashlib.blake2b(state.encode(), digest_size=16).hexdigest())
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = self.get_paginated_response(versioned_claim_documents(rows))
            # Rendered here rather than after the view returns, so that the page can be kept as it was sent.
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            response["ETag"] = etag
            response.render()
            claim_lists.store(key, etag, response)
        response["ETag"] = etag
        return response

    def retrieve(self, request, pk=None):
        return Response(claim_documents([self.get_object().pk])[0])

    def create(self, request):
        claim = services.claim_create(actor=request.user, **self.validated())
        return Response(claim_documents([claim.pk])[0], status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        claim = self.get_object()
        serializer = s.ClaimUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = {"claimant": claim.claimant, "claim_reviewed": claim.claim_reviewed, **serializer.validated_data}
        services.claim_update(actor=request.user, claim=claim, **fields)
        return Response(claim_documents([claim.pk])[0])

    @extend_schema(request=s.ClaimWithdrawSerializer, responses={200: s.ClaimSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw (soft-delete) a claim with a reason: editors their own drafts, reviewers any unpublished one."""
        claim = self.get_object()
        services.claim_withdraw(actor=request.user, claim=claim, **self.validated(s.ClaimWithdrawSerializer))
        return Response(claim_documents([claim.pk])[0])

    @extend_schema(request=None, responses={200: s.ClaimSerializer})
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Bring a withdrawn claim back (whoever could withdraw it)."""
        claim = self.get_object()
        services.claim_restore(actor=request.user, claim=claim)
        return Response(claim_documents([claim.pk])[0])


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


VERDICT_CONFLICT = OpenApiResponse(
    {
        "type": "object",
        "properties": {
            "detail": {"type": "string"},
            "current_version": {"type": "integer", "description": "Read the verdict again at this version."},
            "current": {"type": "object", "description": "The verdict as it is now (the Verdict shape)."},
            "yours": {"type": "object", "description": "What you sent, kept so that you can merge and retry."},
        },
        "required": ["detail", "current_version"],
    },
    description="Stale version: someone changed the verdict since you read it.",
)
VERDICT_ACTION = {200: s.VerdictSerializer, 409: VERDICT_CONFLICT}
OVERRIDE = OpenApiParameter(
    "override",
    str,
    OpenApiParameter.QUERY,
    required=False,
    description="A reason to go ahead despite the checklist's blockers (no evidence, the claim orphaned); recorded "
    "in the activity log. Without one, blockers give 400 naming them. The body's `override` does the same.",
)


@extend_schema_view(
    create=extend_schema(
        description="Propose the verdict of a claim (a claim has one verdict; edit it with PATCH).",
        responses={201: s.VerdictSerializer},
    ),
    partial_update=extend_schema(
        description="Edit a draft (or sent-back) verdict. `version` must be the one you read (409 otherwise, with "
        "the current verdict and what you sent).",
        responses=VERDICT_ACTION,
    ),
    submit=extend_schema(
        description="Send a draft (or sent-back) verdict for review; its claim needs a short statement "
        f"(`claim_reviewed`, at most {CLAIM_REVIEWED_MAX} characters).",
        request=s.VerdictActionSerializer,
        responses=VERDICT_ACTION,
    ),
    approve=extend_schema(request=s.VerdictReviewSerializer, responses=VERDICT_ACTION, parameters=[OVERRIDE]),
    request_changes=extend_schema(request=s.VerdictRequestChangesSerializer, responses=VERDICT_ACTION),
    publish=extend_schema(request=s.VerdictPublishSerializer, responses=VERDICT_ACTION, parameters=[OVERRIDE]),
    checklist=extend_schema(responses={200: s.ChecklistSerializer}),
    unpublish=extend_schema(request=s.VerdictUnpublishSerializer, responses=VERDICT_ACTION),
    correct=extend_schema(request=s.VerdictCorrectSerializer, responses={201: s.CorrectionSerializer}),
    keep=extend_schema(request=s.VerdictKeepSerializer, responses=VERDICT_ACTION),
)
class VerdictViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Verdicts and their review workflow: submit, approve / request changes (reviewers, not the author), publish."""

    queryset = Verdict.objects.select_related("rating", "author", "reviewer")
    serializer_class = s.VerdictSerializer
    filterset_class = filters.VerdictFilter
    ordering_fields = ["created_at", "updated_at", "published_at", "id"]
    ordering = ["-created_at", "-id"]
    http_method_names = READ_WRITE
    conflict_actions = (
        "partial_update",
        "submit",
        "approve",
        "request_changes",
        "publish",
        "unpublish",
        "correct",
        "keep",
    )

    def get_serializer_class(self):
        return {
            "create": s.VerdictCreateSerializer,
            "partial_update": s.VerdictUpdateSerializer,
            "submit": s.VerdictActionSerializer,
            "publish": s.VerdictPublishSerializer,
            "approve": s.VerdictReviewSerializer,
            "request_changes": s.VerdictRequestChangesSerializer,
            "unpublish": s.VerdictUnpublishSerializer,
            "correct": s.VerdictCorrectSerializer,
            "keep": s.VerdictKeepSerializer,
        }.get(self.action, s.VerdictSerializer)

    def _result(self, verdict) -> Response:
        return Response(s.VerdictSerializer(self.get_queryset().get(pk=verdict.pk)).data)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, services.Conflict) and "pk" in self.kwargs:
            # Give the client both sides so that it can merge instead of retyping.
            current = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
            if current is not None:
                response.data["current"] = s.VerdictSerializer(current).data
            if isinstance(self.request.data, dict):
                response.data["yours"] = dict(self.request.data)
        return response

    def _checked(self, service, **kwargs) -> Response:
        """Approve or publish; blockers without an override give 400 naming them (and the warnings)."""
        data = self.validated()
        data["override"] = data.get("override") or self.request.query_params.get("override", "")
        try:
            verdict = service(actor=self.request.user, verdict=self.get_object(), **data)
        except services.ChecklistBlocked as blocked:
            items = blocked.checklist
            return Response(
                {
                    **blocked.message_dict,
                    "blockers": [f"{item.code}: {item.message}" for item in items.blockers],
                    "warnings": [f"{item.code}: {item.message}" for item in items.warnings],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return self._result(verdict)

    def create(self, request):
        # The service refuses a second verdict for the claim (400, naming the one to edit with PATCH).
        verdict = services.verdict_create(actor=request.user, **self.validated())
        return created(s.VerdictSerializer, verdict)

    def partial_update(self, request, pk=None):
        verdict = self.get_object()
        data = self.validated()
        return self._result(services.verdict_save(actor=request.user, claim=verdict.claim, **data))

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft (or sent-back) verdict for review."""
        return self._result(services.verdict_submit(actor=request.user, verdict=self.get_object(), **self.validated()))

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a verdict in review (reviewers; never one you wrote or edited). See `checklist` first."""
        return self._checked(services.verdict_approve)

    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        """Send a verdict in review, or approved and not yet published, back to its author with a comment
        (reviewers; never one you wrote). The way to change an approved verdict's claim or evidence."""
        verdict = self.get_object()
        return self._result(services.verdict_request_changes(actor=request.user, verdict=verdict, **self.validated()))

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish an approved verdict: its public page and ClaimReview appear (reviewers). See `checklist` first."""
        return self._checked(services.verdict_publish)

    @action(detail=True, methods=["get"])
    def checklist(self, request, pk=None):
        """What approve and publish check: blockers (need an override reason), warnings, and refusals."""
        checklist = services.publication_checklist(self.get_object())
        return Response(s.ChecklistSerializer(checklist).data)

    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        """Take a published fact-check down with a reason (reviewers who did not write it): the public page answers
        410 with the reason, and the verdict goes back to its author to pass review again."""
        return self._result(
            services.verdict_unpublish(actor=request.user, verdict=self.get_object(), **self.validated())
        )

    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """Publish a dated correction note, optionally with a new rating and/or explanation (reviewers who did not
        write it). The previous rating and explanation are kept in the correction."""
        correction = services.verdict_correct(actor=request.user, verdict=self.get_object(), **self.validated())
        return Response(s.CorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def keep(self, request, pk=None):
        """Decide that the article's change leaves the published fact-check standing; clears `article_changed_at`."""
        return self._result(services.verdict_keep(actor=request.user, verdict=self.get_object(), **self.validated()))


# --- Registry, ratings, captures, activity ---------------------------------------------------------------------------


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


class RatingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The rating labels a verdict can use."""

    queryset = Rating.objects.select_related("scale")
    serializer_class = s.RatingSerializer
    filterset_fields = ["scale"]
    ordering_fields = ["position", "value", "id"]
    ordering = ["scale", "position"]


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


class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The append-only record of every state change."""

    queryset = Activity.objects.select_related("actor")
    serializer_class = s.ActivitySerializer
    filterset_class = filters.ActivityFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]


# --- Public ClaimReview feed and CSV export --------------------------------------------------------------------------

CLAIM_REVIEW_SCHEMA = {
    "type": "object",
    "description": "schema.org ClaimReview JSON-LD (the document the public fact-check page embeds).",
    "required": ["@context", "@type", "url", "claimReviewed", "reviewRating", "itemReviewed", "author"],
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {"type": "string", "enum": ["ClaimReview"]},
        "url": {"type": "string", "format": "uri"},
        "claimReviewed": {"type": "string"},
        "datePublished": {"type": "string", "format": "date"},
        "reviewRating": {
            "type": "object",
            "required": ["@type", "alternateName"],
            "properties": {
                "@type": {"type": "string", "enum": ["Rating"]},
                "alternateName": {"type": "string"},
                "ratingValue": {"type": "integer"},
                "bestRating": {"type": "integer"},
                "worstRating": {"type": "integer"},
            },
        },
        "itemReviewed": {"type": "object", "required": ["@type", "appearance"]},
        "author": {"type": "object", "required": ["@type", "name"]},
    },
}


def claim_reviews(verdicts) -> list[dict]:
    """ClaimReviews of published verdicts with one query for the rating scales' bounds."""
    scale_ids = {verdict.rating.scale_id for verdict in verdicts}
    bounds = {
        row["scale_id"]: (row["worst"], row["best"])
        for row in Rating.objects.filter(scale_id__in=scale_ids)
        .values("scale_id")
        .annotate(worst=Min("value"), best=Max("value"))
    }
    return [claim_review(verdict, bounds.get(verdict.rating.scale_id, (None, None))) for verdict in verdicts]


@extend_schema_view(
    list=extend_schema(
        description="All published fact-checks as ClaimReview, newest first. Public: no sign-in needed.",
        responses={200: OpenApiResponse(CLAIM_REVIEW_SCHEMA)},
    ),
    retrieve=extend_schema(
        description="The ClaimReview of one published claim (by claim id). Public.",
        responses={200: OpenApiResponse(CLAIM_REVIEW_SCHEMA)},
    ),
)
class ClaimReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, APIDefaults, viewsets.GenericViewSet):
    permission_classes = [AllowAny]
    queryset = selectors.published_verdicts()
    lookup_field = "claim_id"
    lookup_url_kwarg = "claim_id"
    lookup_value_regex = r"[0-9]+"
    filter_backends = []

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(claim_reviews(page))

    def retrieve(self, request, claim_id=None):
        return Response(claim_reviews([self.get_object()])[0])


@extend_schema_view(
    list=extend_schema(description="Corrections of published fact-checks, newest first. Public: no sign-in needed."),
    retrieve=extend_schema(description="One correction of a published fact-check. Public."),
)
class CorrectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, APIDefaults, viewsets.GenericViewSet):
    permission_classes = [AllowAny]
    queryset = (
        Correction.objects.filter(verdict__status=Verdict.Status.PUBLISHED)
        .select_related("previous_rating", "verdict")
        .order_by("-created_at", "-id")
    )
    serializer_class = s.CorrectionSerializer
    filterset_class = filters.CorrectionFilter


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
        return export_response(self.filter_queryset(self.get_queryset()), self.export_format)


@extend_schema(
    description="The claims of the CSV export as a JSON array, each with its evidence as a list. " + EXPORT_FILTERS,
    responses={200: OpenApiResponse(EXPORT_CLAIM_SCHEMA)},
)
class ClaimJSONExportView(ClaimExportView):
    renderer_classes = [renderers.JSONRenderer]
    export_format = "json"
