"""The dashboard's sections as figures: a chart and the table of its numbers, which is also the section's CSV.

One function per section turns the metrics into a Figure; the page shows them all, `/dashboard/export.csv?section=`
writes one table (the same rows, raw values: ISO dates, numbers unformatted, through the desk's CSV cells).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from . import charts, metrics, upkeep
from .period import Period


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    language: str = ""

    def __str__(self):
        return self.text


class Hours(float):
    """Hours, shown to a tenth."""

    def __str__(self):
        return f"{self:.1f}"


class AlphaValue(float):
    """Krippendorff's alpha, shown to three decimals as the literature gives it."""

    def __str__(self):
        return f"{self:.3f}"


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[list]
    footer: list | None = None  # a totals row, also the CSV's last line

    @property
    def numeric(self) -> set[int]:
        """The columns holding numbers (aligned to the right, headers too)."""
        return {
            i
            for row in self.rows
            for i, value in enumerate(row)
            if isinstance(value, int | float) and not isinstance(value, bool)
        }


@dataclass(frozen=True)
class Figure:
    section: str
    heading: str
    intro: str
    table: Table
    chart: SafeString | None = None
    legend: list[tuple[str, str]] = field(default_factory=list)  # (series class, name)


class Week(datetime.date):
    """A week by its Monday: an ISO date in the CSV, its ISO week and Monday on the page."""

    def __str__(self):
        return f"{self:%G-W%V} ({self.day} {self:%b %Y})"


class Month(datetime.date):
    """A month by its first day: an ISO date in the CSV, its name on the page."""

    def __str__(self):
        return f"{self:%B %Y}"


def _w(day: datetime.date) -> Week:
    return Week(day.year, day.month, day.day)


def _m(day: datetime.date) -> Month:
    return Month(day.year, day.month, day.day)


def week_label(week: datetime.date) -> str:
    return f"{week.day} {week:%b}"


def _legend(names) -> list[tuple[str, str]]:
    return [(charts.series_class(i), name) for i, name in enumerate(names)]


def _hours(value: float | None) -> Hours | None:
    return None if value is None else Hours(round(value, 1))


def throughput(data: metrics.Throughput, period: Period) -> list[Figure]:
    weeks = [week_label(row.week) for row in data.weeks]
    opened = charts.Series("opened", [row.opened for row in data.weeks])
    published = charts.Series("published", [row.published for row in data.weeks])
    median = charts.Series("median hours", [_hours(row.median_hours) for row in data.weeks])
    p90 = charts.Series("90th percentile hours", [_hours(row.p90_hours) for row in data.weeks])
    return [
        Figure(
            "throughput",
            "Claims opened and published",
            "Claims created each week, and fact-checks first published that week.",
            Table(
                "Claims opened and published per week, with the hours from claim to first publication",
                ["Week", "Opened", "Published", "Median hours to publication", "90th percentile hours"],
                [
                    [_w(row.week), row.opened, row.published, _hours(row.median_hours), _hours(row.p90_hours)]
                    for row in data.weeks
                ],
                [
                    f"All {period.weeks} weeks",
                    data.opened,
                    data.published,
                    _hours(data.median_hours),
                    _hours(data.p90_hours),
                ],
            ),
            charts.line_chart(
                "throughput",
                "Claims opened and published per week",
                f"Two lines over the last {period.weeks} weeks: claims opened and fact-checks published each week.",
                weeks,
                [opened, published],
            ),
            _legend(["Opened", "Published"]),
        ),
        Figure(
            "time-to-publication",
            "Time from claim to publication",
            "Hours from a claim's creation to its first publication, for the claims published each week: the "
            "median and the 90th percentile (PostgreSQL's percentile_cont, interpolating between the nearest two).",
            Table(
                "Hours from claim to first publication, per week of publication",
                ["Week", "Published", "Median hours", "90th percentile hours"],
                [[_w(row.week), row.published, _hours(row.median_hours), _hours(row.p90_hours)] for row in data.weeks],
                [f"All {period.weeks} weeks", data.published, _hours(data.median_hours), _hours(data.p90_hours)],
            ),
            charts.line_chart(
                "time-to-publication",
                "Hours from claim to first publication",
                "Two lines, per week of publication: the median and the 90th percentile of the hours from a "
                "claim's creation to its first publication. Weeks without a publication have no point.",
                weeks,
                [median, p90],
            ),
            _legend(["Median", "90th percentile"]),
        ),
    ]


def ratings(data: metrics.Ratings, period: Period) -> list[Figure]:
    labels = data.labels
    top = data.by_outlet[:12]
    return [
        Figure(
            "ratings-by-outlet",
            "Ratings by outlet",
            "Fact-checks first published in the range and still published, by the outlet of the claim's article.",
            Table(
                "Published fact-checks by outlet and rating",
                ["Outlet", *labels, "Total"],
                [[row.key, *(row.counts[label] for label in labels), row.total] for row in data.by_outlet],
            ),
            charts.hbar_chart(
                "ratings-by-outlet",
                "Ratings by outlet",
                "Horizontal bars, one per outlet (the twelve with most fact-checks), split by rating.",
                [row.key for row in top],
                [charts.Series(label, [row.counts[label] for row in top]) for label in labels],
            ),
            _legend(labels),
        ),
        Figure(
            "ratings-over-time",
            "Ratings over time",
            "The same fact-checks by the week of their first publication.",
            Table(
                "Published fact-checks per week and rating",
                ["Week", *labels, "Total"],
                [[_w(row.key), *(row.counts[label] for label in labels), row.total] for row in data.by_week],
            ),
            charts.bar_chart(
                "ratings-over-time",
                "Ratings per week",
                f"Stacked columns, one per week of the last {period.weeks}, split by rating.",
                [week_label(row.key) for row in data.by_week],
                [charts.Series(label, [row.counts[label] for row in data.by_week]) for label in labels],
            ),
            _legend(labels),
        ),
    ]


def _alpha(result) -> AlphaValue | None:
    return None if result.alpha is None else AlphaValue(round(result.alpha, 3))


def agreement(data: metrics.Agreement, period: Period) -> list[Figure]:
    months = [f"{row.month:%b %Y}" for row in data.by_month]
    overall = data.overall
    left = f" {data.left_out} pair{'s' if data.left_out != 1 else ''} with a rating off the numeric scale left out."
    return [
        Figure(
            "agreement-by-month",
            "Agreement between checkers",
            "Krippendorff's alpha for ordinal data between the verdict's rating and the independent second rating of "
            "the same claim, by the month of the second rating (1 is full agreement, 0 what chance would give). "
            f"At least {metrics.agreement.MIN_UNITS} pairs with different ratings among them are needed.{left}",
            Table(
                "Krippendorff's alpha (ordinal) per month",
                ["Month", "Pairs", "Alpha", "Note"],
                [[_m(row.month), row.result.units, _alpha(row.result), row.result.note] for row in data.by_month],
                [f"All {period.weeks} weeks", overall.units, _alpha(overall), overall.note],
            ),
            charts.signed_bar_chart(
                "agreement-by-month",
                "Krippendorff's alpha per month",
                "One column per month: alpha for ordinal data between first and second ratings; n/a where there is "
                "not enough data.",
                months,
                [_alpha(row.result) for row in data.by_month],
                "alpha",
            ),
        ),
        Figure(
            "agreement-by-pair",
            "Agreement per pair of checkers",
            "The same alpha for each pair of people who rated the same claims (either of them first).",
            Table(
                "Krippendorff's alpha (ordinal) per pair of checkers",
                ["Checkers", "Pairs", "Alpha", "Note"],
                [
                    [" and ".join(row.checkers), row.result.units, _alpha(row.result), row.result.note]
                    for row in data.by_pair
                ],
            ),
        ),
    ]


def captures(data: upkeep.Captures, period: Period) -> list[Figure]:
    weeks = [week_label(row.week) for row in data.weeks]
    statuses = [status.capitalize() for status in data.check_statuses]
    latest = ", ".join(f"{n} {status}" for status, n in data.latest.items())
    return [
        Figure(
            "capture-failures",
            "Capture failures",
            "Captures of cited pages (and of articles imported by URL) finished each week; the failed ones by reason.",
            Table(
                "Captures finished per week, failures by reason",
                ["Week", "Done", "Failed", *data.reasons],
                [
                    [_w(row.week), row.done, row.failed, *(row.reasons[code] for code in data.reasons)]
                    for row in data.weeks
                ],
            ),
            charts.bar_chart(
                "capture-failures",
                "Failed captures per week, by reason",
                f"Stacked columns, one per week of the last {period.weeks}: failed captures split by reason.",
                weeks,
                [charts.Series(code, [row.reasons[code] for row in data.weeks]) for code in data.reasons],
            ),
            _legend(data.reasons),
        ),
        Figure(
            "link-rot",
            "Link rot",
            "Later checks of captured sources: unchanged, changed, gone (404 or 410) or an error. Now, by their "
            f"latest check: {latest}.",
            Table(
                "Link-rot checks per week, by result",
                ["Week", *statuses],
                [[_w(row.week), *(row.counts[status] for status in data.check_statuses)] for row in data.checks],
                ["Sources now (latest check)", *(data.latest[status] for status in data.check_statuses)],
            ),
            charts.bar_chart(
                "link-rot",
                "Link-rot checks per week, by result",
                f"Stacked columns, one per week of the last {period.weeks}: checks split by their result.",
                weeks,
                [
                    charts.Series(status, [row.counts[s] for row in data.checks])
                    for status, s in zip(statuses, data.check_statuses, strict=True)
                ],
            ),
            _legend(statuses),
        ),
    ]


def overdue(data: upkeep.Overdue, period: Period) -> list[Figure]:
    shown = "" if data.count <= len(data.items) else f" The {len(data.items)} due longest ago are listed."
    return [
        Figure(
            "overdue",
            "Overdue work",
            f"Assignments due before today whose claim is neither published nor withdrawn: {data.count}.{shown}",
            Table(
                "Overdue assignments, oldest due date first",
                ["Due", "Days overdue", "Work", "Kind", "Checker", "Reviewer"],
                [
                    [
                        item.due,
                        item.days_overdue,
                        Link(item.title, item.url, item.language),
                        item.kind,
                        item.checker,
                        item.reviewer,
                    ]
                    for item in data.items
                ],
            ),
        )
    ]


# What each CSV section needs computed, and how it becomes figures.
SECTIONS: dict[str, tuple[Callable, Callable]] = {
    "throughput": (metrics.throughput, throughput),
    "time-to-publication": (metrics.throughput, throughput),
    "ratings-by-outlet": (metrics.ratings, ratings),
    "ratings-over-time": (metrics.ratings, ratings),
    "agreement-by-month": (metrics.rating_agreement, agreement),
    "agreement-by-pair": (metrics.rating_agreement, agreement),
    "capture-failures": (upkeep.captures, captures),
    "link-rot": (upkeep.captures, captures),
    "overdue": (lambda period: upkeep.overdue(period.today), overdue),
}


def all_figures(data: metrics.Dashboard) -> list[Figure]:
    period = data.period
    return [
        *throughput(data.throughput, period),
        *ratings(data.ratings, period),
        *agreement(data.agreement, period),
        *captures(data.captures, period),
        *overdue(data.overdue, period),
    ]


def section_figure(section: str, period: Period) -> Figure:
    """One section's figure, computing only its own metrics (for its CSV)."""
    compute, build = SECTIONS[section]
    return next(figure for figure in build(compute(period), period) if figure.section == section)
