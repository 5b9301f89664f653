"""The dashboard's numbers, each section read with a fixed number of aggregate queries (GROUP BY week in
PostgreSQL), whatever the number of rows: Python only fills in the weeks without any and arranges the groups.

Definitions (the README's "Desk dashboard" says the same):
- a claim is *opened* when it is created; withdrawn claims (duplicates, mistakes) count nowhere;
- a verdict is *published* in the week of its first publication: the first `verdict_published` entry of the
  activity log, else `published_at` (which a later re-publication moves); a fact-check taken down since still counts
  as published that week, as the work was done;
- *time to publication* is the hours from the claim's creation to that first publication, over the claims first
  published in the range; median and 90th percentile are PostgreSQL's `percentile_cont` (linear interpolation
  between the two nearest ranks, numpy's default and Excel's PERCENTILE.INC);
- *ratings* count the fact-checks first published in the range and still published, by their rating's label;
  an article's *outlet* is its source's registry name, else its URL's host, else "No outlet";
- *agreement* pairs the verdict's rating (by its author) with the independent second rating (SecondReview) of the
  same claim, dated by the second rating; a pair with a label off the numeric scale (Unproven) is left out and
  counted as such;
- *overdue* work is an assignment due before today whose claim is neither published nor withdrawn (My work's rule).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DateField,
    F,
    FloatField,
    Func,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek

from annotations.models import Activity, Claim, SecondReview, Verdict

from . import agreement
from .period import Period
from .upkeep import Captures, Overdue, captures, overdue

NO_OUTLET = "No outlet"


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression): linear interpolation."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def _hours(later: str, earlier: str) -> Func:
    return Func(
        F(later) - F(earlier), template="(EXTRACT(EPOCH FROM %(expressions)s) / 3600.0)", output_field=FloatField()
    )


# The host of a URL, without "www." (an article's outlet when it has no registry entry).
_HOST = r"^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^/?#@]*@)?(?:www\.)?([^/?#:]+)"


def _host(field: str) -> Func:
    return Func(F(field), template=f"lower(substring(%(expressions)s from '{_HOST}'))", output_field=CharField())


def _week(field: str) -> TruncWeek:
    return TruncWeek(field, output_field=DateField())


def first_publication():
    """When the verdict was first published (see the module's docstring)."""
    first = (
        Activity.objects.filter(verdict=OuterRef("pk"), action="verdict_published")
        .order_by("created_at", "id")
        .values("created_at")[:1]
    )
    return Coalesce(Subquery(first), F("published_at"))


def published_in(period: Period):
    """Verdicts first published in the range (whatever they are now); withdrawn claims left out."""
    # published_at is the latest publication, never before the first: a condition the planner can use first.
    return (
        Verdict.objects.filter(published_at__gte=period.start, claim__withdrawn_at__isnull=True)
        .annotate(first_published=first_publication())
        .filter(first_published__gte=period.start)
    )


# --- Throughput and time to publication ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekThroughput:
    week: datetime.date
    opened: int
    published: int
    median_hours: float | None
    p90_hours: float | None


@dataclass(frozen=True)
class Throughput:
    weeks: list[WeekThroughput]
    opened: int
    published: int
    median_hours: float | None
    p90_hours: float | None


def _time_to_publication() -> dict:
    hours = _hours("first_published", "claim__created_at")
    return {
        "n": Count("id"),
        "median": PercentileCont(hours, 0.5),
        "p90": PercentileCont(hours, 0.9),
    }


def throughput(period: Period) -> Throughput:
    """Claims opened and published per week, with the hours from claim to first publication (3 queries)."""
    opened = dict(
        Claim.objects.filter(created_at__gte=period.start, withdrawn_at__isnull=True)
        .annotate(week=_week("created_at"))
        .values("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    published = published_in(period)
    per_week = {
        row["week"]: row
        for row in published.annotate(week=_week("first_published"))
        .values("week")
        .annotate(**_time_to_publication())
        .order_by()
    }
    overall = published.aggregate(**_time_to_publication())
    weeks = []
    for week in period.week_starts:
        row = per_week.get(week, {})
        weeks.append(WeekThroughput(week, opened.get(week, 0), row.get("n", 0), row.get("median"), row.get("p90")))
    return Throughput(weeks, sum(opened.values()), overall["n"], overall["median"], overall["p90"])


# --- Ratings ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingRow:
    """Counts by rating label for one outlet, or one week."""

    key: str | datetime.date
    counts: dict[str, int]
    total: int


@dataclass(frozen=True)
class Ratings:
    labels: list[str]  # the scale's order (the default scale first), only labels that occur
    by_outlet: list[RatingRow]  # most fact-checks first
    by_week: list[RatingRow]  # every week of the range


def _labels(groups: list[dict]) -> list[str]:
    order = {}
    for group in groups:
        place = (not group["rating__scale__is_default"], group["rating__scale_id"], group["rating__position"])
        label = group["rating__label"]
        order[label] = min(order.get(label, place), place)
    return sorted(order, key=order.get)


def _rows(groups: list[dict], key: str) -> dict:
    rows = defaultdict(lambda: defaultdict(int))
    for group in groups:
        rows[group[key]][group["rating__label"]] += group["n"]
    return rows


def ratings(period: Period) -> Ratings:
    """Still-published fact-checks first published in the range, by outlet and by week, per label (2 queries)."""
    published = published_in(period).filter(status=Verdict.Status.PUBLISHED)
    label_fields = ("rating__label", "rating__position", "rating__scale_id", "rating__scale__is_default")
    outlet = Coalesce(
        F("claim__article__outlet__name"), _host("claim__article__url"), Value(NO_OUTLET), output_field=CharField()
    )
    by_outlet = list(
        published.annotate(outlet=outlet).values("outlet", *label_fields).annotate(n=Count("id")).order_by()
    )
    by_week = list(
        published.annotate(week=_week("first_published"))
        .values("week", *label_fields)
        .annotate(n=Count("id"))
        .order_by()
    )
    labels = _labels(by_outlet)
    outlets = [
        RatingRow(name, {label: counts.get(label, 0) for label in labels}, sum(counts.values()))
        for name, counts in _rows(by_outlet, "outlet").items()
    ]
    outlets.sort(key=lambda row: (-row.total, row.key.casefold()))
    weeks = _rows(by_week, "week")
    return Ratings(
        labels,
        outlets,
        [
            RatingRow(week, {label: weeks[week].get(label, 0) for label in labels}, sum(weeks[week].values()))
            for week in period.week_starts
        ],
    )


# --- Agreement -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthAlpha:
    month: datetime.date
    result: agreement.Alpha


@dataclass(frozen=True)
class PairAlpha:
    checkers: tuple[str, str]  # by name, so that A with B and B with A are one pair
    result: agreement.Alpha


@dataclass(frozen=True)
class Agreement:
    level: str
    overall: agreement.Alpha
    left_out: int  # pairs with a rating off the numeric scale (Unproven, Misleading)
    by_month: list[MonthAlpha]
    by_pair: list[PairAlpha]


def rating_pairs(period: Period) -> list[dict]:
    """Pairs of ratings of one claim, second-rated in the range, grouped and counted in PostgreSQL (1 query): by
    month, both checkers and both values."""
    return list(
        SecondReview.objects.filter(
            rating__isnull=False,
            rated_at__gte=period.start,
            claim__withdrawn_at__isnull=True,
            claim__verdict__isnull=False,
        )
        .annotate(month=TruncMonth("rated_at", output_field=DateField()))
        .values(
            "month",
            first_checker=F("claim__verdict__author__username"),
            second_checker=F("checker__username"),
            first=F("claim__verdict__rating__value"),
            second=F("rating__value"),
        )
        .annotate(n=Count("id"))
        .order_by()
    )


def agreement_from_pairs(groups: list[dict], months: list[datetime.date]) -> Agreement:
    """Alpha overall, per month and per pair of checkers from the grouped pairs of rating_pairs()."""
    every, by_month, by_pair, left_out = [], defaultdict(list), defaultdict(list), 0
    for group in groups:
        if group["first"] is None or group["second"] is None:
            left_out += group["n"]
            continue
        counted = (group["first"], group["second"], group["n"])
        every.append(counted)
        by_month[group["month"]].append(counted)
        by_pair[tuple(sorted((group["first_checker"], group["second_checker"]), key=str.casefold))].append(counted)

    def alpha(counted) -> agreement.Alpha:
        return agreement.alpha_of(agreement.counted_pairs(counted))

    return Agreement(
        agreement.LEVEL,
        alpha(every),
        left_out,
        [MonthAlpha(month, alpha(by_month.get(month, []))) for month in months],
        sorted(
            (PairAlpha(pair, alpha(counted)) for pair, counted in by_pair.items()),
            key=lambda row: (-row.result.units, row.checkers),
        ),
    )


def rating_agreement(period: Period) -> Agreement:
    return agreement_from_pairs(rating_pairs(period), period.months)


# --- Everything ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    period: Period
    throughput: Throughput
    ratings: Ratings
    agreement: Agreement
    captures: Captures
    overdue: Overdue


def dashboard(period: Period) -> Dashboard:
    """Every section (11 queries)."""
    return Dashboard(
        period, throughput(period), ratings(period), rating_agreement(period), captures(period), overdue(period.today)
    )
