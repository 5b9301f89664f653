"""The dashboard's upkeep sections: captures and link rot per week, and the overdue work now (see metrics.py for
the rest, and for how each number is defined). Aggregate queries, a fixed number per section."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, DateField, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncWeek
from django.urls import reverse
from django.utils import timezone

from annotations.models import Assignment, Capture, CaptureCheck, Claim

from .period import Period

OVERDUE_LISTED = 50  # the overdue list's length; the count is of all of them


def _week(field: str) -> TruncWeek:
    return TruncWeek(field, output_field=DateField())


# --- Captures and link rot -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaptureWeek:
    week: datetime.date
    done: int
    failed: int
    reasons: dict[str, int]  # failed captures by error code


@dataclass(frozen=True)
class CheckWeek:
    week: datetime.date
    counts: dict[str, int]  # link-rot checks by result (CaptureCheck.Status)


@dataclass(frozen=True)
class Captures:
    reasons: list[str]  # error codes that occur, most frequent first
    weeks: list[CaptureWeek]
    check_statuses: list[str]
    checks: list[CheckWeek]
    latest: dict[str, int]  # captured sources by the result of their latest check: the link rot now


def captures(period: Period) -> Captures:
    """Captures finished per week (done, failed by reason) and link-rot checks per week, and the latest check of
    every checked source (3 queries)."""
    finished = (
        Capture.objects.filter(status__in=[Capture.Status.DONE, Capture.Status.FAILED])
        .annotate(at=Coalesce("finished_at", "created_at"))
        .filter(at__gte=period.start)
        .annotate(week=_week("at"))
        .values("week", "status", "error_code")
        .annotate(n=Count("id"))
        .order_by()
    )
    done, failed, reasons, totals = defaultdict(int), defaultdict(int), defaultdict(dict), defaultdict(int)
    for group in finished:
        if group["status"] == Capture.Status.DONE:
            done[group["week"]] += group["n"]
        else:
            failed[group["week"]] += group["n"]
            reasons[group["week"]][group["error_code"]] = group["n"]
            totals[group["error_code"]] += group["n"]
    codes = sorted(totals, key=lambda code: (-totals[code], code))
    weeks = [
        CaptureWeek(week, done[week], failed[week], {code: reasons[week].get(code, 0) for code in codes})
        for week in period.week_starts
    ]
    checks = defaultdict(dict)
    for week, status, n in (
        CaptureCheck.objects.filter(checked_at__gte=period.start)
        .annotate(week=_week("checked_at"))
        .values("week", "status")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("week", "status", "n")
    ):
        checks[week][status] = n
    statuses = list(CaptureCheck.Status.values)
    latest_status = (
        CaptureCheck.objects.filter(capture=OuterRef("pk")).order_by("-checked_at", "-id").values("status")[:1]
    )
    latest = dict(
        Capture.objects.annotate(latest=Subquery(latest_status))
        .filter(latest__isnull=False)
        .values("latest")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("latest", "n")
    )
    return Captures(
        codes,
        weeks,
        statuses,
        [CheckWeek(week, {status: checks[week].get(status, 0) for status in statuses}) for week in period.week_starts],
        {status: latest.get(status, 0) for status in statuses},
    )


# --- Overdue work ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueItem:
    assignment: int
    kind: str  # claim or article
    title: str
    language: str
    url: str
    checker: str | None
    reviewer: str | None
    due: datetime.date
    days_overdue: int


@dataclass(frozen=True)
class Overdue:
    count: int
    items: list[OverdueItem]  # oldest due date first, at most OVERDUE_LISTED


def overdue(today: datetime.date | None = None) -> Overdue:
    """Work due before today and not done, now, whatever the range (2 queries)."""
    today = today or timezone.localdate()
    late = (
        Assignment.objects.filter(due__lt=today)
        .exclude(claim__status=Claim.Status.PUBLISHED)
        .exclude(claim__withdrawn_at__isnull=False)
    )
    assignments = (
        late.select_related("claim__article", "article", "checker", "reviewer")
        .only(
            "due",
            "claim__claim_reviewed",
            "claim__exact",
            "claim__article_id",
            "claim__article__language",
            "article__title",
            "article__language",
            "checker__username",
            "reviewer__username",
        )
        .order_by("due", "id")[:OVERDUE_LISTED]
    )
    items = []
    for assignment in assignments:
        if assignment.claim_id:
            claim = assignment.claim
            kind, title, language = "claim", claim.claim_reviewed or claim.exact, claim.article.language
            url = f"{reverse('reader', args=[claim.article_id])}?claim={claim.pk}#panel"
        else:
            article = assignment.article
            kind, title, language = "article", article.title, article.language
            url = reverse("reader", args=[article.pk])
        items.append(
            OverdueItem(
                assignment.pk,
                kind,
                title,
                language,
                url,
                assignment.checker and assignment.checker.get_username(),
                assignment.reviewer and assignment.reviewer.get_username(),
                assignment.due,
                (today - assignment.due).days,
            )
        )
    return Overdue(late.count(), items)
