"""The dashboard's numbers on crafted rows with known answers, and what they cost: a fixed number of queries."""

import datetime

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotations import services
from annotations.models import Activity, Claim, Source, Verdict
from dashboard import metrics, upkeep
from dashboard.period import Period

from . import dashboard_data as data
from .factories import add_evidence

pytestmark = pytest.mark.django_db
HOURS = [10, 20, 30, 40, 100]  # from claim to publication


@pytest.fixture
def period():
    return Period.last(12)


def test_the_period_is_whole_iso_weeks_ending_with_this_one():
    period = Period.last(4, today=datetime.date(2025, 3, 5))  # a Wednesday
    assert period.week_starts == [datetime.date(2025, 2, d) for d in (10, 17, 24)] + [datetime.date(2025, 3, 3)]
    assert period.start.date() == datetime.date(2025, 2, 10) and period.start.weekday() == 0
    assert period.months == [datetime.date(2025, 2, 1), datetime.date(2025, 3, 1)]


def test_opened_and_published_per_week_with_median_and_90th_percentile(editor, reviewer, period):
    ratings = data.scale()
    weeks = period.week_starts
    revision = data.article()
    # week 2: three claims opened, none published yet
    for hour in (1, 2, 3):
        data.claim(revision, editor, data.at(weeks[2], hour))
    # week 5: five opened at 08:00 on the Monday, published 10, 20, 30, 40 and 100 hours later (all that week)
    for hours in HOURS:
        data.published(revision, editor, reviewer, ratings["True"], data.at(weeks[5], 8), data.at(weeks[5], 8 + hours))
    # before the range: neither opened nor published in it
    data.published(revision, editor, reviewer, ratings["True"], data.at(weeks[0], -30), data.at(weeks[0], -2))
    # opened before the range, published in its last week: published, not opened
    data.published(revision, editor, reviewer, ratings["False"], data.at(weeks[0], -48), data.at(weeks[-1], 1))
    # withdrawn: counts nowhere
    gone = data.claim(revision, editor, data.at(weeks[2], 5))
    Claim.objects.filter(pk=gone.pk).update(withdrawn_at=timezone.now(), withdrawal_reason="Duplicate")

    result = metrics.throughput(period)
    assert [row.week for row in result.weeks] == weeks
    assert [row.opened for row in result.weeks] == [0, 0, 3, 0, 0, 5, 0, 0, 0, 0, 0, 0]
    assert [row.published for row in result.weeks] == [0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 1]
    five = result.weeks[5]
    # percentile_cont: the median of 10..100 is the middle one; the 90th lies 0.6 of the way from 40 to 100
    assert five.median_hours == pytest.approx(30) and five.p90_hours == pytest.approx(76)
    assert five.p90_hours == pytest.approx(np.percentile(HOURS, 90))  # numpy's default, linear, agrees
    assert result.weeks[0].median_hours is None
    assert (result.opened, result.published) == (8, 6)
    every = [*HOURS, (data.at(weeks[-1], 1) - data.at(weeks[0], -48)).total_seconds() / 3600]
    assert result.median_hours == pytest.approx(np.percentile(every, 50))
    assert result.p90_hours == pytest.approx(np.percentile(every, 90))


def test_publication_counts_from_the_first_one_in_the_history(editor, reviewer, period):
    """Published again after being taken down: the week and the hours are those of the first publication, from the
    activity log, not published_at (which the second publication moved)."""
    rating = data.scale()["True"]
    revision = data.article()
    claim = data.claim(revision, editor, timezone.now() - datetime.timedelta(hours=5))
    add_evidence(claim, editor)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Because.")
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    verdict = services.verdict_publish(actor=reviewer, verdict=verdict, override="Test")
    first = Activity.objects.get(verdict=verdict, action="verdict_published").created_at
    # as if re-published three weeks later
    Verdict.objects.filter(pk=verdict.pk).update(published_at=first + datetime.timedelta(weeks=3))
    result = metrics.throughput(period)
    week = first.date() - datetime.timedelta(days=first.weekday())
    assert {row.week: row.published for row in result.weeks if row.published} == {week: 1}
    assert result.median_hours == pytest.approx((first - claim.created_at).total_seconds() / 3600)


def test_ratings_by_outlet_and_over_time(editor, reviewer, period):
    ratings = data.scale()
    weeks = period.week_starts
    sputnik = data.article(Source.objects.create(name="Sputnik", domain="sputnikglobe.com"))
    by_host = data.article(None, url="https://www.Example-News.com/politics/1?x=1")
    pasted = data.article(None, url=None)

    def published(revision, label, week, status=None):
        return data.published(
            revision, editor, reviewer, ratings[label], data.at(week, 1), data.at(week, 30), status=status
        )

    published(sputnik, "False", weeks[3])
    published(sputnik, "False", weeks[4])
    published(sputnik, "True", weeks[4])
    published(by_host, "Half true", weeks[4])
    published(by_host, "Unproven", weeks[10])
    published(pasted, "True", weeks[10])
    # taken down since: counted as published that week, but not among the ratings
    published(sputnik, "Mostly true", weeks[10], status=Verdict.Status.CHANGES_REQUESTED)

    result = metrics.ratings(period)
    assert result.labels == ["False", "Half true", "True", "Unproven"]  # the scale's order, labels that occur
    table = {row.key: (row.counts, row.total) for row in result.by_outlet}
    assert table == {
        "Sputnik": ({"False": 2, "Half true": 0, "True": 1, "Unproven": 0}, 3),
        "example-news.com": ({"False": 0, "Half true": 1, "True": 0, "Unproven": 1}, 2),
        "No outlet": ({"False": 0, "Half true": 0, "True": 1, "Unproven": 0}, 1),
    }
    assert [row.key for row in result.by_outlet] == ["Sputnik", "example-news.com", "No outlet"]  # most first
    by_week = {row.key: row.counts for row in result.by_week}
    assert list(by_week) == weeks
    assert by_week[weeks[4]] == {"False": 1, "Half true": 1, "True": 1, "Unproven": 0}
    assert by_week[weeks[10]] == {"False": 0, "Half true": 0, "True": 1, "Unproven": 1}
    assert sum(row.total for row in result.by_week) == 6
    assert metrics.throughput(period).weeks[10].published == 3


def test_capture_failures_by_reason_and_link_rot(period):
    weeks = period.week_starts
    data.capture(data.at(weeks[1], 1), error_code="timeout")
    data.capture(data.at(weeks[1], 2), error_code="timeout")
    data.capture(data.at(weeks[1], 3), error_code="http_404")
    data.capture(data.at(weeks[0], -1), error_code="timeout")  # before the range
    done = [data.capture(data.at(weeks[1], 4)), data.capture(data.at(weeks[2], 4)), data.capture(data.at(weeks[2], 5))]
    data.check(done[0], "unchanged", data.at(weeks[6], 1))
    data.check(done[0], "gone", data.at(weeks[7], 1))  # its latest
    data.check(done[1], "changed", data.at(weeks[7], 2))
    data.check(done[2], "gone", data.at(weeks[6], 3))
    data.check(done[2], "unchanged", data.at(weeks[8], 3))  # back again

    result = upkeep.captures(period)
    assert result.reasons == ["timeout", "http_404"]  # most frequent first
    one = result.weeks[1]
    assert (one.done, one.failed, one.reasons) == (1, 3, {"timeout": 2, "http_404": 1})
    assert (result.weeks[2].done, result.weeks[2].failed) == (2, 0)
    assert sum(row.failed for row in result.weeks) == 3
    checks = {row.week: row.counts for row in result.checks if any(row.counts.values())}
    assert checks == {
        weeks[6]: {"unchanged": 1, "changed": 0, "gone": 1, "error": 0},
        weeks[7]: {"unchanged": 0, "changed": 1, "gone": 1, "error": 0},
        weeks[8]: {"unchanged": 1, "changed": 0, "gone": 0, "error": 0},
    }
    assert result.latest == {"unchanged": 1, "changed": 1, "gone": 1, "error": 0}


def test_overdue_work_oldest_first(editor, reviewer, period):
    today = timezone.localdate()
    revision = data.article()
    days = datetime.timedelta(days=1)
    late = data.claim(revision, editor, data.at(period.week_starts[0], 1), statement="Late claim")
    later = data.claim(revision, editor, data.at(period.week_starts[0], 2), statement="Later claim")
    data.assignment(claim=late, due=today - 2 * days, checker=editor, reviewer=reviewer)
    data.assignment(claim=later, due=today - 9 * days, checker=editor)
    data.assignment(article=revision.article, due=today - 4 * days, reviewer=reviewer)
    # not overdue: due today, done (published), withdrawn, or undated
    data.assignment(claim=data.claim(revision, editor, data.at(period.week_starts[0], 3)), due=today)
    done = data.published(
        revision, editor, reviewer, data.scale()["True"], data.at(period.week_starts[0], 1), timezone.now()
    )
    data.assignment(claim=done.claim, due=today - 5 * days)
    withdrawn = data.claim(revision, editor, data.at(period.week_starts[0], 4))
    Claim.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now(), withdrawal_reason="Mistake")
    data.assignment(claim=withdrawn, due=today - 5 * days)
    data.assignment(claim=data.claim(revision, editor, data.at(period.week_starts[0], 5)), due=None)

    result = upkeep.overdue()
    assert result.count == 3
    assert [(item.title, item.days_overdue, item.kind) for item in result.items] == [
        ("Later claim", 9, "claim"),
        (revision.article.title, 4, "article"),
        ("Late claim", 2, "claim"),
    ]
    first = result.items[0]
    assert (first.checker, first.reviewer) == ("ed", None)
    assert first.url == f"/articles/{revision.article_id}/?claim={later.pk}#panel"


def test_the_overdue_list_is_cut_but_the_count_is_not(editor):
    revision = data.article()
    today = timezone.localdate()
    for n in range(upkeep.OVERDUE_LISTED + 3):
        claim = data.claim(revision, editor, timezone.now())
        data.assignment(claim=claim, due=today - datetime.timedelta(days=n + 1))
    result = upkeep.overdue()
    assert result.count == upkeep.OVERDUE_LISTED + 3 and len(result.items) == upkeep.OVERDUE_LISTED
    assert result.items[0].days_overdue == upkeep.OVERDUE_LISTED + 3


def dashboard_queries(period) -> int:
    with CaptureQueriesContext(connection) as captured:
        metrics.dashboard(period)
    return len(captured)


def test_the_dashboard_costs_eleven_queries_however_many_rows(editor, reviewer, reviewer2, period):
    assert dashboard_queries(period) == 11  # nothing yet
    data.history(editor, reviewer, reviewer2, period.week_starts[-2:])
    small = dashboard_queries(period)
    data.history(editor, reviewer, reviewer2, period.week_starts)
    assert Claim.objects.count() > 50
    assert small == dashboard_queries(period) == dashboard_queries(Period.last(104)) == 11
