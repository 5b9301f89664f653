"""What the reader panel's lifecycle controls need, asked of the services' own rules (so the page never offers
an action the service would refuse)."""

from django import template

from .. import services
from ..lifecycle_forms import CorrectionForm, EvidenceEditForm, KeepForm, UnpublishForm, WithdrawForm
from ..models import Verdict
from ..services.article_changes import change_description

register = template.Library()


@register.simple_tag(takes_context=True)
def lifecycle_panel(context) -> dict:
    user = context["request"].user
    claim = context["claim"]
    verdict = context.get("verdict")
    forms = context.get("lifecycle_forms") or {}
    version = {"version": verdict.version} if verdict is not None else {}
    panel = {
        "can_withdraw": services.withdraw_refusal(user, claim) is None,
        "can_restore": claim.is_withdrawn and services.restore_refusal(user, claim) is None,
        "withdraw_form": forms.get("withdraw") or WithdrawForm(auto_id="withdraw_%s"),
        "published": verdict is not None and verdict.status == Verdict.Status.PUBLISHED,
        "can_decide": False,
        "desk_refusal": "",
        "corrections": list(verdict.corrections.select_related("author", "previous_rating")) if verdict else [],
    }
    if panel["published"]:
        refusal = services.desk_refusal(user, verdict)
        panel.update(
            can_decide=refusal is None,
            desk_refusal=refusal or "",
            unpublish_form=forms.get("unpublish") or UnpublishForm(auto_id="unpublish_%s", initial=version),
            correction_form=forms.get("correct") or CorrectionForm(auto_id="correct_%s", initial=version),
            keep_form=forms.get("keep") or KeepForm(auto_id="keep_%s", initial=version),
            open_form=next(iter(forms), ""),
        )
        if verdict.article_changed_at:
            panel["article_change"] = change_description(verdict.article_change)
    return panel


@register.simple_tag(takes_context=True)
def evidence_controls(context, evidence) -> dict:
    """Whether this user may edit or remove the evidence now, and its edit form (bound after a refused edit)."""
    user = context["request"].user
    forms = context.get("lifecycle_forms") or {}
    refusal = services.evidence_refusal(evidence.claim)
    may = user.has_perm("annotations.change_evidence") and refusal is None
    bound = forms.get("evidence_edit")
    form = bound if bound is not None and bound.evidence.pk == evidence.pk else None
    return {
        "editable": may,
        "removable": user.has_perm("annotations.delete_evidence") and refusal is None,
        "form": form or (EvidenceEditForm(evidence=evidence) if may else None),
        "open": form is not None,
    }
