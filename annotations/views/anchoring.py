"""The re-anchoring review page: claims moved, changed or orphaned by a new revision, and re-attaching them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods

from .. import roles, services
from ..forms import ClaimReattachForm
from ..highlighting import render as render_text
from ..models import Article, ArticleRevision, Claim
from ..selectors import current_revision
from ..textquote import sentence_around
from .common import role_required
from .panel import wants_fragment

REVIEWED_STATES = (Claim.Anchoring.MOVED, Claim.Anchoring.CHANGED, Claim.Anchoring.ORPHANED)
REATTACHABLE_STATES = (Claim.Anchoring.CHANGED, Claim.Anchoring.ORPHANED)


@require_http_methods(["GET", "POST"])
@role_required(*roles.REVIEW_ANCHORING)
def article_anchoring(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    newest = current_revision(article)
    if request.method == "POST":
        message, ok = _reattach(request, article)
        if wants_fragment(request):
            # reattach.js: the rows and the newest text again, with the message beside the claim's row.
            context = _review_context(article, current_revision(article))
            body = render_to_string("annotations/_anchoring_body.html", context, request=request)
            data = {"body": body, "message": message, "level": "success" if ok else "error"}
            data["where"] = "" if ok else f"claim-{request.POST.get('claim', '')}"
            return JsonResponse(data, status=200 if ok else 400)
        (messages.success if ok else messages.error)(request, message)
        return redirect("article_anchoring", pk=article.pk)
    return render(request, "annotations/anchoring_review.html", _review_context(article, newest))


def _review_context(article: Article, newest: ArticleRevision) -> dict:
    claims = list(
        Claim.objects.filter(article=article)
        .exclude(anchor_revision=newest, anchor_state=Claim.Anchoring.ANCHORED)
        .order_by("start", "id")
    )
    # Original texts once per revision, not once per claim.
    originals = {
        pk: (number, text)
        for pk, number, text in ArticleRevision.objects.filter(pk__in={c.revision_id for c in claims}).values_list(
            "pk", "number", "text"
        )
    }
    rows = []
    for claim in claims:
        current = claim.anchor_revision_id == newest.pk
        rows.append(
            {
                "claim": claim,
                "pending": not current,
                "old_number": originals[claim.revision_id][0],
                "old": sentence_around(originals[claim.revision_id][1], claim.start, claim.end),
                "new": (
                    sentence_around(newest.text, claim.anchor_start, claim.anchor_end)
                    if current and claim.anchor_start is not None
                    else None
                ),
                "reattachable": current and claim.anchor_state in REATTACHABLE_STATES,
            }
        )
    return {
        "article": article,
        "newest": newest,
        "rows": rows,
        "newest_text": render_text(newest.text, []) if any(r["reattachable"] for r in rows) else "",
    }


def _reattach(request, article: Article) -> tuple[str, bool]:
    """Re-attach the posted claim to the posted selection: the message to show, and whether it was done."""
    form = ClaimReattachForm(request.POST)
    if not form.is_valid():
        if "claim" in form.errors:
            return "That claim does not belong to this article.", False
        if "revision" in form.errors:
            return "The article has a newer revision; select the text again on this page.", False
        return "Select the claim's new text: " + " ".join(form.errors.get("selectors", [])), False
    claim = Claim.objects.filter(article=article, pk=form.cleaned_data["claim"]).first()
    revision = article.revisions.filter(pk=form.cleaned_data["revision"]).first()
    if claim is None or revision is None:
        return f"That {'claim' if claim is None else 'revision'} does not belong to this article.", False
    try:  # the service refuses a selection made on a revision that is no longer the newest
        # The service re-reads the claim under a lock and returns it re-attached: the message quotes that one.
        claim = services.claim_reattach(
            actor=request.user, claim=claim, revision=revision, **form.selection_on(revision.text)
        )
    except ValidationError as error:
        return " ".join(error.messages), False
    return f"Claim re-attached to “{Truncator(claim.anchor_exact).chars(80)}”.", True
