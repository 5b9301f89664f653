"""An article's revisions: the list, one revision's text, the diff of two, the revision editor and a new fetch."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models.functions import Length
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import roles, services
from ..forms import add_service_errors
from ..models import Article, ArticleRevision, Capture, Claim
from ..revision_diff import diff_words
from ..revision_forms import RevisionCompareForm, RevisionForm
from ..selectors import current_revision
from .common import role_required


def _article(pk: int) -> Article:
    return get_object_or_404(Article.objects.defer("search_vector"), pk=pk)


def _revisions(article: Article, *numbers: int) -> list[ArticleRevision]:
    """The article's revisions with these numbers, in that order, in one query; 404 if one is missing."""
    found = {r.number: r for r in article.revisions.select_related("created_by").filter(number__in=numbers)}
    for number in numbers:
        if number not in found:
            raise Http404(f"This article has no revision {number}.")
    return [found[number] for number in numbers]


def _numbers(article: Article) -> list[int]:
    return list(article.revisions.order_by("number").values_list("number", flat=True))


@require_GET
@role_required(*roles.READ_REVISIONS)
def revision_list(request, pk: int):
    article = _article(pk)
    revisions = list(
        article.revisions.select_related("created_by")
        .annotate(length=Length("text"))
        .defer("text")
        .order_by("-number")
    )
    numbers = sorted(r.number for r in revisions)
    form = RevisionCompareForm(request.GET if "from" in request.GET or "to" in request.GET else None, numbers=numbers)
    if form.is_bound and form.is_valid():
        return redirect("revision_diff", pk=article.pk, a=form.cleaned_data["from"], b=form.cleaned_data["to"])
    fetches = []
    if article.url:
        # The fetches asked for from the revision editor (and the first import by URL), newest first.
        fetches = list(
            Capture.objects.filter(url=article.url, import_requested_by__isnull=False)
            .select_related("import_requested_by")
            .defer("text", "headers", "redirect_chain")
            .order_by("-created_at")[:5]
        )
    context = {
        "article": article,
        "revisions": revisions,
        "form": form,
        "fetches": fetches,
        "can_revise": request.user.has_perm("annotations.add_articlerevision"),
    }
    return render(request, "annotations/revision_list.html", context, status=400 if form.is_bound else 200)


@require_GET
@role_required(*roles.READ_REVISIONS)
def revision_text(request, pk: int, number: int):
    article = _article(pk)
    (revision,) = _revisions(article, number)
    numbers = _numbers(article)
    context = {
        "article": article,
        "revision": revision,
        "count": len(numbers),
        "previous": number - 1 if number - 1 in numbers else None,
        "next": number + 1 if number + 1 in numbers else None,
        "can_revise": request.user.has_perm("annotations.add_articlerevision"),
    }
    return render(request, "annotations/revision_text.html", context)


@require_GET
@role_required(*roles.READ_REVISIONS)
def revision_diff(request, pk: int, a: int, b: int):
    article = _article(pk)
    old, new = _revisions(article, a, b)
    numbers = _numbers(article)
    context = {
        "article": article,
        "old": old,
        "new": new,
        "diff": diff_words(old.text, new.text),
        "form": RevisionCompareForm(initial={"from": a, "to": b}, numbers=numbers),
        # The neighbouring steps of the history, for reading it one revision at a time.
        "earlier": (a - 1, a) if a == b - 1 and a - 1 in numbers else None,
        "later": (b, b + 1) if a == b - 1 and b + 1 in numbers else None,
        "can_revise": request.user.has_perm("annotations.add_articlerevision"),
    }
    return render(request, "annotations/revision_diff.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*roles.ADD_REVISIONS)
def revision_new(request, pk: int):
    article = _article(pk)
    current = current_revision(article)
    if current is None:
        raise Http404("This article has no text yet.")
    status = 200
    conflict = None
    if request.method == "POST":
        form = RevisionForm(request.POST, base_text=current.text, language=article.language)
        status = 400
        if form.is_valid():
            try:
                result = services.revision_edit(
                    actor=request.user,
                    article=article,
                    text=form.cleaned_data["text"],
                    base_revision_id=form.cleaned_data["base"],
                )
            except services.Conflict as error:
                # The text stays; the form now says it is based on the newest revision, so saving again replaces it.
                conflict = str(error)
                form = RevisionForm(
                    {"text": request.POST.get("text", ""), "base": error.current_version}, language=article.language
                )
                form.is_valid()
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _saved_message(result))
                return redirect(reverse("reader", args=[article.pk]))
    else:
        form = RevisionForm(initial={"text": current.text, "base": current.pk}, language=article.language)
    context = {
        "article": article,
        "current": current,
        "count": article.revisions.count(),
        "form": form,
        "conflict": conflict,
        "claim_count": Claim.objects.filter(article=article).count(),
    }
    return render(request, "annotations/revision_edit.html", context, status=status)


STATE_WORDS = [("anchored", "in place"), ("moved", "moved"), ("changed", "changed"), ("orphaned", "not found")]


def _saved_message(result: services.RevisionEditResult) -> str:
    message = f"Saved revision {result.revision.number}."
    if result.reanchored is None:
        return message + " Its claims are being re-attached; the reader shows them when that is done."
    states = result.reanchored.states
    counts = ", ".join(f"{states[state]} {words}" for state, words in STATE_WORDS if states.get(state))
    message += f" Claims re-attached: {counts}."
    if states.get("changed") or states.get("orphaned"):
        message += " Review the changed and not found ones under “anchoring”."
    return message


@require_POST
@role_required(*roles.ADD_REVISIONS)
def revision_fetch(request, pk: int):
    article = _article(pk)
    try:
        capture = services.article_refetch(actor=request.user, article=article)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("revision_new", pk=article.pk)
    if capture.status == Capture.Status.FAILED:
        messages.error(request, f"The page could not be fetched: {capture.error_message}")
    else:
        messages.info(
            request,
            "Fetching the page again. If its text changed, it becomes a new revision when the capture is done.",
        )
    return redirect("capture_detail", pk=capture.pk)


@require_GET
@role_required(*roles.READ_ARTICLES)
def anchoring_status(request, pk: int):
    """How many of the article's claims are not re-anchored on its newest revision yet (polled by the reader)."""
    newest = ArticleRevision.objects.filter(article_id=pk).order_by("-number").values("pk", "number").first()
    if newest is None:
        raise Http404("No article here.")
    pending = (
        Claim.objects.filter(article_id=pk, withdrawn_at__isnull=True).exclude(anchor_revision_id=newest["pk"]).count()
    )
    response = JsonResponse({"revision": newest["number"], "pending": pending})
    response["Cache-Control"] = "no-store"
    return response
