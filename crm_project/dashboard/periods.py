"""The dashboard's periods: a month ("2026-09"), a quarter ("2026-Q3") or a year ("2026").

One parser for the page's form and the API's `?period=`. Every figure of a period is counted
over [start, end) and compared with the period just before it, of the same kind.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.core.months import month_range

MONTH, QUARTER, YEAR = "month", "quarter", "year"
PERIOD_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$"
PERIOD_SCHEMA = {"type": "string", "pattern": PERIOD_PATTERN, "example": "2026-09"}
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # the first day
    end: date  # the first day after it

    @property
    def code(self) -> str:
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}"

    def __str__(self) -> str:
        return self.code

    @property
    def months(self) -> list[date]:
        """The first day of each month in the period, in order."""
        result, month = [], self.start
        while month < self.end:
            result.append(month)
            month = _add_months(month, 1)
        return result

    @property
    def last_month(self) -> date:
        return self.months[-1]

    def previous(self) -> "Period":
        size = len(self.months)
        return Period(self.kind, _add_months(self.start, -size), self.start)

    def shifted(self, months: int) -> "Period":
        """The same span moved by whole months (the statements reviewed in a month are those
        of the month before it)."""
        return Period(self.kind, _add_months(self.start, months), _add_months(self.end, months))

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.min))

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


def period_error() -> str:
    first, last = month_range()
    return _(
        "Enter a period as a month (2026-09), a quarter (2026-Q3) or a year (2026), between %(first)s and %(last)s."
    ) % {"first": first.year, "last": last.year}


def parse_period(value) -> Period:
    """ "2026-09", "2026-Q3" or "2026" → the Period; ValueError for anything else, and for a
    period outside the years the product is for."""
    text = str(value if value is not None else "").strip()
    if match := _MONTH.fullmatch(text):
        start = date(int(match[1]), int(match[2]), 1)
        period = Period(MONTH, start, _add_months(start, 1))
    elif match := _QUARTER.fullmatch(text):
        start = date(int(match[1]), (int(match[2]) - 1) * 3 + 1, 1)
        period = Period(QUARTER, start, _add_months(start, 3))
    elif match := _YEAR.fullmatch(text):
        start = date(int(match[1]), 1, 1)
        period = Period(YEAR, start, _add_months(start, 12))
    else:
        raise ValueError(f"not a period: {text[:20]!r}")
    first, last = month_range()
    if not (first <= period.start and period.last_month <= last):
        raise ValueError(f"period out of range: {period.code}")
    return period


def this_month() -> Period:
    return parse_period(f"{timezone.localdate():%Y-%m}")
