from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from .. import blind_review, roles, services
from ..api.export import claims_for_export, export_response
from ..forms import ArticleImportForm, ArticleSearchForm, add_service_errors
from ..models import Article
from ..search import articles_matching, filter_errors
from .common import role_required
from .public import published_factchecks


def home(request):
    """Editors land on the article list; visitors see the published fact-checks."""
    if not request.user.is_authenticated:
        return published_factchecks(request)
    return article_list(request)


def filtered_articles(form: ArticleSearchForm, articles=None):
    """The articles the list shows for a valid form, best match first when searching."""
    if articles is None:
        articles = Article.objects.all()
    ordering = ["-published_date", "-created_at", "-id"]
    data = form.cleaned_data
    if data["q"]:
        articles = articles_matching(articles, data["q"])
        ordering = ["-rank", *ordering]
    if data["outlet"]:
        articles = articles.filter(outlet=data["outlet"])
    if data["status"]:
        articles = articles.filter(claims__status=data["status"])
    if data["rating"]:
        articles = articles.filter(claims__verdict__rating=data["rating"])
    return articles.order_by(*ordering)


@role_required(*roles.LIST_ARTICLES)
def article_list(request):
    form = ArticleSearchForm(request.GET)  # bound even when empty: no filter is valid too
    valid = form.is_valid()
    # Counted before the filters join the claims again, so that the counts are of all the article's claims.
    articles = (
        Article.objects.select_related("outlet")
        .defer("search_vector")
        .annotate(
            claim_count=Count("claims", distinct=True),
            open_count=Count("claims", filter=~Q(claims__status="published"), distinct=True),
        )
    )
    articles = filtered_articles(form, articles) if valid else articles.none()
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "annotations/article_list.html",
        {"form": form, "page": page, "query_string": query_string.urlencode()},
        status=200 if valid else 400,
    )


@role_required(*roles.LIST_CLAIMS)
def article_list_export(request, fmt: str):
    """The claims of the articles the list shows with these filters (status and rating apply to the claims too)."""
    form = ArticleSearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse(filter_errors(form), status=400)
    data = form.cleaned_data
    claims = claims_for_export().filter(
        article__in=filtered_articles(form).order_by().values("pk"), withdrawn_at__isnull=True
    )
    if data["status"]:
        claims = claims.filter(status=data["status"])
    if data["rating"]:
        # A verdict hidden from its unrated second checker (blind_review) is not theirs to find by its rating.
        claims = claims.filter(verdict__rating=data["rating"]).exclude(
            pk__in=blind_review.hidden_claim_ids(request.user)
        )
    return export_response(
        claims.order_by("article", "start", "id"), fmt, filename="article-claims", user=request.user
    )


@role_required(*roles.IMPORT_ARTICLES)
def article_import(request):
    form = ArticleImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["origin"] == "url":
        try:
            capture = services.article_import_from_url(
                actor=request.user, url=form.cleaned_data["url"], language=form.cleaned_data["language"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if capture.article_id:
                messages.success(request, "Fetched and imported.")
                return redirect(reverse("reader", args=[capture.article_id]))
            messages.info(request, "Fetching the page; the article appears in the list when the capture is done.")
            return redirect(reverse("capture_detail", args=[capture.pk]))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.article_import(
                actor=request.user,
                title=data["title"],
                text=data["text"],
                url=data["url"] or None,
                published_date=data["published_date"],
                byline=data["byline"],
                language=data["language"] or None,
                outlet=data["outlet"],
                origin=data["origin"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if result.article_created:
                messages.success(request, f"Imported “{result.article.title}”.")
            elif result.revision_created:
                messages.success(request, f"Added revision {result.revision.number} to “{result.article.title}”.")
            else:
                messages.info(request, "This article and text were already stored; nothing changed.")
            return redirect(reverse("reader", args=[result.article.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "annotations/article_import.html", {"form": form}, status=status)
