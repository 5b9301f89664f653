"""Full-text search of claims and articles, and the claim filters the search page, the API and the exports share.

Documents are stored per row in their article's text search configuration (russian, arabic, ... or simple; see
languages.SEARCH_CONFIGS and migration 0009). A query's language is not known, so it is parsed in every
configuration and the results are OR'ed into one tsquery: a Russian document matches the Russian parse
("экспортёров" stemmed as the Russian stemmer does), an English one the English parse, and one GIN index scan
serves them all. The other parses only match by coincidence of stems across languages.
"""

import re
from functools import reduce
from operator import or_

import django_filters as filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet

from . import blind_review
from .languages import ALL_SEARCH_CONFIGS
from .limits import MAX_QUERY
from .models import Claim, Rating, Source

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


def search_query(text: str) -> SearchQuery:
    """The user's words (web search syntax: "a phrase", or, -not) in every text search configuration."""
    return reduce(or_, (SearchQuery(text, config=config, search_type="websearch") for config in ALL_SEARCH_CONFIGS))


def claims_matching(claims: QuerySet, text: str) -> QuerySet:
    """Claims whose statement, quote, claimant, evidence or verdict explanation match, best first."""
    query = search_query(text)
    return (
        claims.filter(search__vector=query)
        .annotate(rank=SearchRank(F("search__vector"), query))
        .order_by("-rank", "-created_at", "-id")
    )


def articles_matching(articles: QuerySet, text: str) -> QuerySet:
    """Articles whose title, byline, outlet (name or domain) or current text match, best first."""
    query = search_query(text)
    return articles.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))


def outlet_condition(value: str, prefix: str = "") -> Q:
    """An outlet given as a registry id, or as a domain: the article's outlet's, or its URL's host (or a parent)."""
    value = value.strip().lower()
    if value.isdigit():
        return Q(**{f"{prefix}outlet_id": int(value)})
    domain = value.removeprefix("www.")
    host = r"^https?://([^/?#@]*\.)?" + re.escape(domain).replace(r"\-", "-") + r"(:[0-9]+)?([/?#]|$)"
    return Q(**{f"{prefix}outlet__domain": domain}) | Q(**{f"{prefix}url__iregex": host})


class OutletField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value and not (value.isdigit() or DOMAIN.match(value.lower().removeprefix("www."))):
            raise forms.ValidationError("Give a source id or a domain such as tass.com.")
        return value


class OutletFilter(filters.CharFilter):
    field_class = OutletField


class DateRangeForm(forms.Form):
    """Refuses a range that ends before it starts, naming the field, instead of answering with nothing."""

    RANGES = (("created_after", "created_before"), ("published_after", "published_before"))

    def clean(self):
        data = super().clean()
        for start, end in self.RANGES:
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, f"This date is before {start.replace('_', ' ')} ({data[start]:%Y-%m-%d}).")
        return data


DATE = forms.DateInput(attrs={"type": "date"})


class ClaimSearchFilter(filters.FilterSet):
    """What the claim search page, GET /api/claims/ and the claim exports filter by."""

    q = filters.CharFilter(
        method="filter_q",
        max_length=MAX_QUERY,
        label="Search",
        widget=forms.TextInput(
            attrs={"type": "search", "dir": "auto", "placeholder": "Statement, quote, claimant, evidence …"}
        ),
        help_text="Words in the statement, quote, claimant, evidence (quotes, notes, URLs) or verdict explanation; "
        '"a phrase", or, -word. Results come best first unless `ordering` is given.',
    )
    status = filters.ChoiceFilter(choices=Claim.Status.choices, empty_label="Any status")
    rating = filters.ModelChoiceFilter(
        field_name="verdict__rating",
        queryset=Rating.objects.all(),
        label="Rating",
        empty_label="Any rating",
        help_text="A rating id.",
    )
    author = filters.CharFilter(
        field_name="author__username", label="Author", help_text="The claim author's username."
    )
    outlet = OutletFilter(
        method="filter_outlet",
        label="Outlet",
        help_text="The article's outlet: a source id, or a domain (tass.com) that the outlet's registry entry or "
        "the article's URL has.",
    )
    created_after = filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label="Claimed from", widget=DATE
    )
    created_before = filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label="Claimed until", widget=DATE
    )
    published_after = filters.DateFilter(
        field_name="verdict__published_at", lookup_expr="date__gte", label="Published from", widget=DATE
    )
    published_before = filters.DateFilter(
        field_name="verdict__published_at", lookup_expr="date__lte", label="Published until", widget=DATE
    )

    class Meta:
        model = Claim
        fields = ["q", "status", "rating", "author", "outlet"]
        form = DateRangeForm

    @staticmethod
    def in_play(queryset):
        """What the claim lists show unless asked otherwise (GET /api/claims/?withdrawn=): no withdrawn claim."""
        return queryset.filter(withdrawn_at__isnull=True)

    def filter_q(self, queryset, name, value):
        return claims_matching(queryset, value)

    # Filters that read the verdict (the text search covers its explanation): a claim whose verdict is hidden from
    # the user (blind_review) is left out of what they answer, or the answer would tell its rating or words.
    VERDICT_FILTERS = ("q", "rating", "verdict_status", "published_after", "published_before")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        reads_verdict = any(data.get(name) not in (None, "") for name in self.VERDICT_FILTERS)
        if reads_verdict and self.request is not None and (hidden := blind_review.hidden_claim_ids(self.request.user)):
            queryset = queryset.exclude(pk__in=hidden)
        return queryset

    def filter_outlet(self, queryset, name, value):
        return queryset.filter(outlet_condition(value, prefix="article__"))


def offer_choices(form: forms.Form) -> None:
    """Selects instead of text boxes for author and outlet, on the web page only (the API takes any value)."""
    users = get_user_model().objects.filter(claims__isnull=False).distinct().order_by("username")
    form.fields["author"].widget = forms.Select(
        choices=[("", "Any author"), *((name, name) for name in users.values_list("username", flat=True))]
    )
    sources = Source.objects.filter(articles__isnull=False).distinct().order_by("name")
    form.fields["outlet"].widget = forms.Select(
        choices=[("", "Any outlet"), *((str(pk), name) for pk, name in sources.values_list("pk", "name"))]
    )


def filter_errors(form: forms.Form) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages] for field, messages in form.errors.items()}
