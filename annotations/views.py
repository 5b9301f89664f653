from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render

from .models import Article


def home(request):
    articles = (
        Article.objects.select_related("outlet")
        .annotate(claim_count=Count("claims"))
        .order_by("-published_date", "-created_at")
    )
    page = Paginator(articles, 25).get_page(request.GET.get("page"))
    return render(request, "annotations/home.html", {"page": page})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
