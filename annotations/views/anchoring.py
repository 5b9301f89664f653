"""The re-anchoring review page: claims moved, changed or orphaned by a new revision, and re-attaching them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from .. import services
from ..models import Article, ArticleRevision, Claim
from ..selectors import current_revision
from ..textquote import sentence_around, utf16_to_index
from .common import role_required

REVIEWED_STATES = (Claim.Anchoring.MOVED, Claim.Anchoring.CHANGED, Claim.Anchoring.ORPHANED)
REATTACHABLE_STATES = (Claim.Anchoring.CHANGED, Claim.Anchoring.ORPHANED)


@require_http_methods(["GET", "POST"])
@role_required("annotations.change_claim", "Only editors and reviewers review the anchoring of claims.")
def article_anchoring(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    newest = current_revision(article)
    if request.method == "POST":
        _reattach(request, article, newest)
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
            "newest_text": _text_html(newest.text) if any(r["reattachable"] for r in rows) else "",
        },
    )


def _text_html(text: str) -> str:
    # HTML parsing turns CR LF into LF, which would shift every browser offset after it; a character reference
    # survives as the stored character, so the browser's text is exactly the stored text.
    return mark_safe(escape(text).replace("\r", "&#13;"))  # noqa: S308 - escaped on the same line


def _reattach(request, article: Article, newest: ArticleRevision) -> None:
    form = request.POST
    claim = Claim.objects.filter(article=article, pk=_int(form.get("claim"))).first()
    if claim is None:
        messages.error(request, "That claim does not belong to this article.")
        return
    if _int(form.get("revision")) != newest.pk:
        messages.error(request, "The article has a newer revision; select the text again on this page.")
        return
    start, end = _int(form.get("start")), _int(form.get("end"))
    try:
        if start is None or end is None:
            raise ValueError
        # The browser counts UTF-16 units; the stored offsets are Python code points.
        start, end = utf16_to_index(newest.text, start), utf16_to_index(newest.text, end)
    except ValueError:
        messages.error(request, "Select the new text of the claim in the article text first.")
        return
    exact = form.get("exact", "")
    if start < end and _newlines(exact) == _newlines(newest.text[start:end]):
        # Form encoding turns every line break in a posted value into CR LF; the offsets are what locate the text.
        exact = newest.text[start:end]
    try:
        services.claim_reattach(actor=request.user, claim=claim, revision=newest, start=start, end=end, exact=exact)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    messages.success(request, f"Claim re-attached to “{claim.anchor_exact[:80]}”.")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
