"""Claims: create, edit, withdraw and restore; the list is a conditional GET, kept as sent (claim_lists)."""

import hashlib

from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ... import blind_review, row_versions, services
from ...models import Claim
from .. import claim_lists, filters
from .. import serializers as s
from ..assignment_serializers import AssignmentWriteSerializer
from ..representation import claim_documents, versioned_claim_documents
from ..second_reviews import SecondReviewActions
from .common import READ_WRITE, ApiViewSet


@extend_schema_view(
    create=extend_schema(
        description="Highlight `exact` = text[start:end] of a revision as a claim. Offsets are Python string indices "
        "(Unicode code points), not UTF-16 units; `exact`, `prefix` and `suffix` must match the stored text.",
        responses={201: s.ClaimSerializer},
    ),
    partial_update=extend_schema(responses={200: s.ClaimSerializer}),
)
class ClaimViewSet(SecondReviewActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
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
        # Each row says too whether its verdict is hidden from this user (blind_review), in the same query.
        hidden_here = blind_review.hidden_expression(request.user)
        page = self.paginate_queryset(claims.values_list("pk", row_versions.claim_document_version(), hidden_here))
        rows = [(pk, version) for pk, version, _ in page]
        hidden = frozenset(pk for pk, _, is_hidden in page if is_hidden)
        # A conditional GET of the list: the ETag is made of the page's address, the count and each listed claim's
        # row versions (which change with the anchoring and capture fields too, unlike updated_at) and hidden flag
        # (a second rating shows the verdict), so a client that polls gets a small 304 when nothing changed, before
        # any document is built.
        state = repr((request.get_full_path(), self.paginator.count, page))
        etag = quote_etag(hashlib.blake2b(state.encode(), digest_size=16).hexdigest())
        response = get_conditional_response(request, etag=etag)
        if response is None:
            documents = blind_review.without_hidden_verdicts(versioned_claim_documents(rows), hidden)
            response = self.get_paginated_response(documents)
            # Rendered here rather than after the view returns, so that the page can be kept as it was sent.
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            response["ETag"] = etag
            response.render()
            claim_lists.store(key, etag, response)
        response["ETag"] = etag
        return response

    def document(self, claim) -> dict:
        """The claim's API document, without its verdict for the user it is hidden from (blind_review)."""
        documents = claim_documents([claim.pk])
        return blind_review.without_hidden_verdicts(documents, blind_review.hidden_claim_ids(self.request.user))[0]

    def retrieve(self, request, pk=None):
        return Response(self.document(self.get_object()))

    def create(self, request):
        claim = services.claim_create(actor=request.user, **self.validated())
        return Response(self.document(claim), status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        claim = self.get_object()
        serializer = s.ClaimUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = {"claimant": claim.claimant, "claim_reviewed": claim.claim_reviewed, **serializer.validated_data}
        services.claim_update(actor=request.user, claim=claim, **fields)
        return Response(self.document(claim))

    @extend_schema(request=s.ClaimWithdrawSerializer, responses={200: s.ClaimSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw (soft-delete) a claim with a reason: editors their own drafts, reviewers any unpublished one."""
        claim = self.get_object()
        services.claim_withdraw(actor=request.user, claim=claim, **self.validated(s.ClaimWithdrawSerializer))
        return Response(self.document(claim))

    @extend_schema(request=AssignmentWriteSerializer, responses={200: s.ClaimSerializer})
    @action(detail=True, methods=["post"])
    def assignment(self, request, pk=None):
        """Assign the claim's checker and reviewer and its due date (reviewers and admins; editors may only name
        themselves checker of an unassigned claim). 400 names the field: unknown user, wrong role, two-person rule,
        a due date in the past."""
        claim = self.get_object()
        services.assign(actor=request.user, claim=claim, **self.validated(AssignmentWriteSerializer))
        return Response(self.document(claim))

    @extend_schema(request=None, responses={200: s.ClaimSerializer})
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Bring a withdrawn claim back (whoever could withdraw it)."""
        claim = self.get_object()
        services.claim_restore(actor=request.user, claim=claim)
        return Response(self.document(claim))
