"""Web views of the lifecycle: withdraw and restore claims, edit and remove evidence, unpublish, correct, keep;
the user's notices; the public list of corrections. Each one is a form, one service call and a redirect."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from .. import roles, services
from ..forms import add_service_errors
from ..lifecycle_forms import CorrectionForm, EvidenceEditForm, KeepForm, UnpublishForm, WithdrawForm
from ..models import Claim, Correction, Evidence, Verdict
from .common import role_required
from .reader import action_done, render_reader


def _panel_again(request, claim: Claim, key: str, form, *, conflict: str = "", status: int = 400):
    """The reader with this claim's panel open and the refused form as the user filled it in."""
    forms = {"conflict": conflict}
    extra = {"lifecycle_forms": {key: form}}
    return render_reader(request, claim.article, selected_id=claim.pk, forms=forms, status=status, extra=extra)


def _submit(request, claim: Claim, key: str, form, call, done: str, *, where: str):
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except services.Conflict as conflict:
            return _panel_again(request, claim, key, form, conflict=str(conflict), status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return action_done(request, claim, done, where=where)
    return _panel_again(request, claim, key, form)


def _claim(claim_id: int) -> Claim:
    return get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)


def _verdict(verdict_id: int) -> Verdict:
    return get_object_or_404(Verdict.objects.select_related("claim__article"), pk=verdict_id)


# --- Claims and evidence ---------------------------------------------------------------------------------------------


@require_POST
@role_required(*roles.WITHDRAW_CLAIMS)
def claim_withdraw(request, claim_id: int):
    claim = _claim(claim_id)
    form = WithdrawForm(request.POST, auto_id="withdraw_%s")

    def call(data):
        services.claim_withdraw(actor=request.user, claim=claim, reason=data["reason"])

    return _submit(request, claim, "withdraw", form, call, "Claim withdrawn.", where="withdrawn-note")


@require_POST
@role_required(*roles.RESTORE_CLAIMS)
def claim_restore(request, claim_id: int):
    claim = _claim(claim_id)
    try:
        services.claim_restore(actor=request.user, claim=claim)
    except ValidationError as error:
        return action_done(request, claim, " ".join(error.messages), where="lifecycle", level="error")
    return action_done(request, claim, "Claim restored.", where="claim-head")


def _evidence(evidence_id: int) -> Evidence:
    return get_object_or_404(Evidence.objects.select_related("claim__article"), pk=evidence_id)


@require_POST
@role_required(*roles.EDIT_EVIDENCE)
def evidence_edit(request, evidence_id: int):
    evidence = _evidence(evidence_id)
    form = EvidenceEditForm(request.POST, evidence=evidence)

    def call(data):
        services.evidence_update(actor=request.user, evidence=evidence, **data)

    where = f"evidence-{evidence.pk}"
    return _submit(request, evidence.claim, "evidence_edit", form, call, "Evidence updated.", where=where)


@require_POST
@role_required(*roles.REMOVE_EVIDENCE)
def evidence_remove(request, evidence_id: int):
    evidence = _evidence(evidence_id)
    try:
        services.evidence_remove(actor=request.user, evidence=evidence)
    except ValidationError as error:
        where = f"evidence-{evidence.pk}"
        return action_done(request, evidence.claim, " ".join(error.messages), where=where, level="error")
    return action_done(request, evidence.claim, "Evidence removed.", where="evidence-list")


# --- Published fact-checks -------------------------------------------------------------------------------------------


# What a reviewer may do to a published fact-check: the form, the service and what the page then says.
DESK_ACTIONS = {
    "unpublish": (UnpublishForm, services.verdict_unpublish, "Unpublished: the public page now says so."),
    "correct": (CorrectionForm, services.verdict_correct, "Correction published."),
    "keep": (KeepForm, services.verdict_keep, "Kept as published; the flag is cleared."),
}


@require_POST
@role_required(*roles.DESK_ACTIONS)
def verdict_desk_action(request, verdict_id: int, action: str):
    verdict = _verdict(verdict_id)
    form_class, service, done = DESK_ACTIONS[action]
    form = form_class(request.POST, auto_id=f"{action}_%s")

    def call(data):
        service(actor=request.user, verdict=verdict, **data)

    return _submit(request, verdict.claim, action, form, call, done, where="verdict-heading")


# --- The public corrections list -------------------------------------------------------------------------


def corrections(request):
    """Public: every correction of a published fact-check, newest first."""
    rows = (
        Correction.objects.filter(verdict__status=Verdict.Status.PUBLISHED)
        .select_related("verdict__claim__article", "verdict__rating", "previous_rating")
        .defer("verdict__claim__article__search_vector")
        .order_by("-created_at", "-id")
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "annotations/corrections.html", {"page": page})
