"""`PUT /api/claims/{id}/same-as/` `{"fact_check": id}` links a claim to a fact-check of the corpus as the same
claim; `DELETE` removes the link. Both answer with the claim's document, whose `same_as` shows the link."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.base import APIDefaults
from annotations.api.representation import claim_documents
from annotations.api.serializers import ClaimSerializer, StrictSerializer
from annotations.models import Claim

from . import services
from .models import FactCheck


class SameAsWrite(StrictSerializer):
    fact_check = serializers.PrimaryKeyRelatedField(
        queryset=FactCheck.objects.defer("embedding", "search"),
        help_text="The fact-check's id in the corpus (`fact_check` of GET /api/fact-checks/similar/).",
        error_messages={
            "does_not_exist": "No fact-check with id {pk_value} in the corpus.",
            "incorrect_type": "A fact-check id is a number, not {data_type}.",
        },
    )


class ClaimSameAs(APIDefaults, APIView):
    """The claim's same-claim link. Reading needs the claim's view permission (CanViewModel); writing, the role
    the service asks for (editors and reviewers; reviewers only once the claim is published)."""

    pagination_class = None

    def get_queryset(self):
        return Claim.objects.all()  # for CanViewModel: the claim's view permission

    def claim(self, pk: int) -> Claim:
        return get_object_or_404(Claim.objects.select_related("article"), pk=pk)

    @extend_schema(
        operation_id="claims_same_as_update", tags=["claims"], request=SameAsWrite, responses=ClaimSerializer
    )
    def put(self, request, pk: int):
        claim = self.claim(pk)
        data = SameAsWrite(data=request.data)
        data.is_valid(raise_exception=True)
        services.same_claim_link(actor=request.user, claim=claim, fact_check=data.validated_data["fact_check"])
        return Response(claim_documents([claim.pk])[0])

    @extend_schema(operation_id="claims_same_as_destroy", tags=["claims"], request=None, responses=ClaimSerializer)
    def delete(self, request, pk: int):
        claim = self.claim(pk)
        services.same_claim_unlink(actor=request.user, claim=claim)
        return Response(claim_documents([claim.pk])[0])
