"""The dashboard's date range: the last N ISO weeks (Monday to Sunday, in the desk's time zone), this one included."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.utils import timezone

WEEKS_DEFAULT = 12
WEEKS_MIN = 4
WEEKS_MAX = 104  # two years
WEEKS_ERROR = f"Choose a whole number of weeks from {WEEKS_MIN} to {WEEKS_MAX}."


@dataclass(frozen=True)
class Period:
    weeks: int
    first_week: datetime.date  # the Monday the range starts on
    today: datetime.date

    @classmethod
    def last(cls, weeks: int = WEEKS_DEFAULT, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday())
        return cls(weeks, monday - datetime.timedelta(weeks=weeks - 1), today)

    @property
    def start(self) -> datetime.datetime:
        """Midnight of the first Monday, in the desk's time zone (TruncWeek groups in the same zone)."""
        return timezone.make_aware(datetime.datetime.combine(self.first_week, datetime.time.min))

    @property
    def week_starts(self) -> list[datetime.date]:
        return [self.first_week + datetime.timedelta(weeks=n) for n in range(self.weeks)]

    @property
    def months(self) -> list[datetime.date]:
        """The first day of each month the range touches, oldest first."""
        months, month = [], self.first_week.replace(day=1)
        while month <= self.today:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months


class PeriodForm(forms.Form):
    """`?weeks=` on the page, its CSV exports and (as a serializer, in api.py) the API."""

    weeks = forms.IntegerField(
        required=False,
        min_value=WEEKS_MIN,
        max_value=WEEKS_MAX,
        label="Weeks",
        help_text=f"The last {WEEKS_MIN} to {WEEKS_MAX} weeks, this one included.",
        error_messages={
            "invalid": WEEKS_ERROR,
            "min_value": WEEKS_ERROR,
            "max_value": WEEKS_ERROR,
        },
    )

    def period(self) -> Period:
        return Period.last(self.cleaned_data.get("weeks") or WEEKS_DEFAULT)
