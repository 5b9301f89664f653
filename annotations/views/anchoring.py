"""The re-anchoring review page: claims moved, changed or orphaned by a new revision, and re-attaching them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods

from .. import services
from ..forms import ClaimReattachForm
from ..highlighting import render as render_text
from ..models import Article, ArticleRevision, Claim
from ..selectors import current_revision
from ..textquote import sentence_around
from .common import role_required

REVIEWED_STATES = (Claim.Anchoring.MOVED, Claim.Anchoring.CHANGED, Claim.Anchoring.ORPHANED)
REATTACHABLE_STATES = (Claim.Anchoring.CHANGED, Claim.Anchoring.ORPHANED)


@require_http_methods(["GET", "POST"])
@role_required("annotations.change_claim", "Only editors and reviewers review the anchoring of claims.")
def article_anchoring(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    newest = current_revision(article)
    if request.method == "POST":
        _reattach(request, article)
        return redirect("article_anchoring", pk=article.pk)

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
    return render(
        request,
        "annotations/anchoring_review.html",
        {
            "article": article,
            "newest": newest,
            "rows": rows,
            "newest_text": render_text(newest.text, []) if any(r["reattachable"] for r in rows) else "",
        },
    )


def _reattach(request, article: Article) -> None:
    form = ClaimReattachForm(request.POST)
    if not form.is_valid():
        if "claim" in form.errors:
            messages.error(request, "That claim does not belong to this article.")
        elif "revision" in form.errors:
            messages.error(request, "The article has a newer revision; select the text again on this page.")
        else:
            messages.error(request, "Select the claim's new text: " + " ".join(form.errors.get("selectors", [])))
        return
    claim = Claim.objects.filter(article=article, pk=form.cleaned_data["claim"]).first()
    revision = article.revisions.filter(pk=form.cleaned_data["revision"]).first()
    if claim is None or revision is None:
        messages.error(request, f"That {'claim' if claim is None else 'revision'} does not belong to this article.")
        return
    try:  # the service refuses a selection made on a revision that is no longer the newest
        # The service re-reads the claim under a lock and returns it re-attached: the message quotes that one.
        claim = services.claim_reattach(
            actor=request.user, claim=claim, revision=revision, **form.selection_on(revision.text)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    messages.success(request, f"Claim re-attached to “{Truncator(claim.anchor_exact).chars(80)}”.")
