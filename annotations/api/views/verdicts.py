"""Verdicts and their review workflow: propose, edit (409 with both sides on a stale version), submit, approve,
request changes, publish, unpublish, correct, keep; the checklist approve and publish check."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ... import blind_review, services
from ...models import CLAIM_REVIEWED_MAX, Verdict
from .. import filters
from .. import serializers as s
from .common import READ_WRITE, ApiViewSet, created

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

    def get_queryset(self):
        queryset = super().get_queryset()
        if hidden := blind_review.hidden_claim_ids(self.request.user):
            # Hidden from its unrated second checker: a 404 at its address, absent from the list.
            queryset = queryset.exclude(claim_id__in=hidden)
        return queryset

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
