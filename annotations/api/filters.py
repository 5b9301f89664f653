"""Query-string filters (django-filter) for the list endpoints."""

import django_filters as filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter

from ..limits import MAX_QUERY
from ..models import Activity, Article, ArticleRevision, Capture, Correction, Evidence, Source, Verdict
from ..search import ClaimSearchFilter, articles_matching


class IdFilter(filters.NumberFilter):
    """An object id, looked up without a lookup suffix: `claim__exact` would reach the Claim model's `exact` field."""

    field_class = forms.IntegerField

    def __init__(self, field_name, **kwargs):
        super().__init__(field_name=field_name, min_value=1, max_value=2**63 - 1, **kwargs)

    def filter(self, qs, value):
        return qs if value in (None, "") else qs.filter(**{self.field_name: value})


class SearchOrderingFilter(OrderingFilter):
    """With a search (`q`), results come best first unless the client asks for an `ordering`."""

    def get_default_ordering(self, view):
        if view.request.query_params.get("q", "").strip():
            return ["-rank", *(super().get_default_ordering(view) or [])]
        return super().get_default_ordering(view)


SEARCH_BACKENDS = [DjangoFilterBackend, SearchOrderingFilter]


class ArticleFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="filter_q",
        max_length=MAX_QUERY,
        help_text="Words in the title, byline, outlet (name or domain) or current text; best first.",
    )
    title = filters.CharFilter(lookup_expr="icontains")
    published_after = filters.DateFilter(field_name="published_date", lookup_expr="gte")
    published_before = filters.DateFilter(field_name="published_date", lookup_expr="lte")

    class Meta:
        model = Article
        fields = ["url", "outlet", "language"]

    def filter_q(self, queryset, name, value):
        # Best first: SearchOrderingFilter puts "-rank" before the view's ordering.
        return articles_matching(queryset, value)


class RevisionFilter(filters.FilterSet):
    class Meta:
        model = ArticleRevision
        fields = ["article", "origin"]


class ClaimFilter(ClaimSearchFilter):
    verdict_status = filters.ChoiceFilter(field_name="verdict__status", choices=Verdict.Status.choices)
    withdrawn = filters.ChoiceFilter(
        choices=[("false", "false"), ("true", "true"), ("any", "any")],
        method="filter_withdrawn",
        empty_label=None,
        help_text="false (the default): claims in play; true: only withdrawn ones; any: both.",
    )

    @property
    def qs(self):
        queryset = super().qs
        if self.form.cleaned_data.get("withdrawn") in (None, ""):
            queryset = self.in_play(queryset)
        return queryset

    def filter_withdrawn(self, queryset, name, value):
        if value == "any":
            return queryset
        return queryset.filter(withdrawn_at__isnull=(value != "true"))

    class Meta(ClaimSearchFilter.Meta):
        fields = [*ClaimSearchFilter.Meta.fields, "article", "revision", "anchor_state"]


class ClaimFilterBackend(DjangoFilterBackend):
    """A page of the claim list with none of ClaimFilter's parameters (what a polling client asks for) gets the
    filter's default at once: building the FilterSet, its form and its validation cost more than the list's queries
    (bench/load.py)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if request.query_params.keys().isdisjoint(filterset_class.base_filters):
            return filterset_class.in_play(queryset)
        return super().filter_queryset(request, queryset, view)


CLAIM_BACKENDS = [ClaimFilterBackend, SearchOrderingFilter]


class EvidenceFilter(filters.FilterSet):
    claim = IdFilter("claim")

    class Meta:
        model = Evidence
        fields = ["stance", "quote_status", "source", "capture"]


class VerdictFilter(filters.FilterSet):
    author = filters.CharFilter(field_name="author__username")
    reviewer = filters.CharFilter(field_name="reviewer__username")
    claim = IdFilter("claim")

    class Meta:
        model = Verdict
        fields = ["status", "rating"]


class SourceFilter(filters.FilterSet):
    domain = filters.CharFilter(lookup_expr="icontains")
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Source
        fields = ["kind", "reliability", "blocked"]


class CaptureFilter(filters.FilterSet):
    class Meta:
        model = Capture
        fields = ["url", "status"]


class ActivityFilter(filters.FilterSet):
    actor = filters.CharFilter(field_name="actor__username")
    claim = IdFilter("claim")

    class Meta:
        model = Activity
        fields = ["article", "verdict", "action"]


class CorrectionFilter(filters.FilterSet):
    verdict = IdFilter("verdict")
    claim = IdFilter("verdict__claim")

    class Meta:
        model = Correction
        fields = []
