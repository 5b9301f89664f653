"""The reader's same-claim buttons: link the open claim to a fact-check of the corpus, or remove its link.

Forms of the claim panel (templates/matching/_claim_matching.html, and the matches matching/static/matching/
matches.js lists), posted like every other panel form: panel.js swaps in the panel that annotations' reader renders
(action_done), and without JavaScript the post redirects back to the claim with a message.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from annotations.models import Claim
from annotations.views.common import role_required
from annotations.views.reader import action_done

from . import rules, services
from .models import FactCheck

WHERE = "claim-same-as"  # the panel's element the message goes beside


class SameClaimForm(forms.Form):
    fact_check = forms.IntegerField(min_value=1, max_value=2**63 - 1)


def _claim(claim_id: int) -> Claim:
    return get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)


def _refused(request, claim: Claim, error: Exception):
    message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return action_done(request, claim, message, where=WHERE, level="error")


@require_POST
@role_required(*rules.LINK_CLAIMS)
def same_claim_link(request, claim_id: int):
    claim = _claim(claim_id)
    form = SameClaimForm(request.POST)
    if not form.is_valid():
        return action_done(request, claim, "Choose a fact-check to link.", where=WHERE, level="error")
    fact_check = FactCheck.objects.defer("embedding", "search").filter(pk=form.cleaned_data["fact_check"]).first()
    if fact_check is None:
        message = "That fact-check is no longer in the corpus: search again."
        return action_done(request, claim, message, where=WHERE, level="error")
    try:
        services.same_claim_link(actor=request.user, claim=claim, fact_check=fact_check)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, claim, error)
    return action_done(request, claim, "Linked as the same claim.", where=WHERE)


@require_POST
@role_required(*rules.LINK_CLAIMS)
def same_claim_unlink(request, claim_id: int):
    claim = _claim(claim_id)
    try:
        services.same_claim_unlink(actor=request.user, claim=claim)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, claim, error)
    return action_done(request, claim, "Same-claim link removed.", where=WHERE)
