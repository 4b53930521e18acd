"""Working days 工作日 and deadlines (CAL-01, CAL-02).

Deadlines everywhere come from here, never from `date + timedelta(days=…)`. Covered years
are read from the table; a year without a `CalendarYear` row falls back to Monday–Friday.
"""

import calendar as month_grid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from .models import CalendarDay, CalendarYear, DayKind

WORKING_KINDS = frozenset({DayKind.WORKDAY, DayKind.MAKEUP})


def _day_range(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def working_days_between(start: date, end: date) -> list[date]:
    """The working days from `start` to `end`, both included, in order. Two queries."""
    if end < start:
        return []
    covered = set(CalendarYear.objects.filter(year__range=(start.year, end.year)).values_list("year", flat=True))
    stored = dict(CalendarDay.objects.filter(date__range=(start, end), year_id__in=covered).values_list("date", "kind"))
    result = []
    for day in _day_range(start, end):
        kind = stored.get(day) if day.year in covered else None
        if kind is None:
            working = day.weekday() < 5  # CAL-01 fallback: Monday–Friday
        else:
            working = kind in WORKING_KINDS
        if working:
            result.append(day)
    return result


def is_working_day(day: date) -> bool:
    return bool(working_days_between(day, day))


def working_days_in_month(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return working_days_between(first, last)


def nth_working_day(year: int, month: int, n: int) -> date:
    """The n-th working day of the month, counting from 1 (CAL-02)."""
    if n < 1:
        raise ValueError("n counts from 1")
    days = working_days_in_month(year, month)
    if n > len(days):
        raise ValueError(f"{year}-{month:02d} has only {len(days)} working days")
    return days[n - 1]


def working_day_number(day: date) -> int | None:
    """Which working day of its month `day` is (1, 2, …), or None on a day off."""
    days = working_days_in_month(day.year, day.month)
    return days.index(day) + 1 if day in days else None


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (before it, for negative n); `start` itself is not
    counted, so add_working_days(friday, 1) is the next Monday, or a make-up Saturday."""
    if n == 0:
        return start
    step = 1 if n > 0 else -1
    window = abs(n) * 2 + 31
    cursor = start
    remaining = abs(n)
    while True:
        if step > 0:
            days = working_days_between(cursor + timedelta(days=1), cursor + timedelta(days=window))
        else:
            days = list(reversed(working_days_between(cursor - timedelta(days=window), cursor - timedelta(days=1))))
        if len(days) >= remaining:
            return days[remaining - 1]
        remaining -= len(days)
        cursor = cursor + timedelta(days=step * window)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def end_of_working_day(day: date) -> datetime:
    """下班: the moment a working day ends, 18:00 Asia/Shanghai by default (CAL-02)."""
    return datetime.combine(day, _clock(settings.WORKDAY_END), tzinfo=local_zone())


def start_of_working_day(day: date) -> datetime:
    return datetime.combine(day, _clock(settings.WORKDAY_START), tzinfo=local_zone())


def working_day_deadline(year: int, month: int, n: int) -> datetime:
    """The end of the n-th working day of the month: e.g. statements are due at
    working_day_deadline(y, m, 3) (EXP-06)."""
    return end_of_working_day(nth_working_day(year, month, n))


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, month_grid.monthrange(year, month)[1]))


def working_day_on_or_before(year: int, month: int, day: int) -> date:
    """The last working day on or before the `day`-th of the month (clamped to its last day);
    for deadlines set as a day of the month, e.g. payouts by the 18th (EXP-11)."""
    target = date(year, month, min(day, month_grid.monthrange(year, month)[1]))
    days = working_days_between(date(year, month, 1), target)
    return days[-1] if days else target


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The moment `hours` of working time after `start`, counting only the hours between the
    start and end of working days (CMP-04, TEN-03). Time outside them does not count."""
    zone = local_zone()
    moment = start.astimezone(zone)
    remaining = timedelta(hours=hours)
    day = moment.date()
    horizon = working_days_between(day, day + timedelta(days=int(hours // 4) + 62))
    for working_day in horizon:
        opens, closes = start_of_working_day(working_day), end_of_working_day(working_day)
        begin = max(opens, moment) if working_day == day else opens
        if begin >= closes:
            continue
        available = closes - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    raise ValueError("the calendar has no working days far enough ahead")


def add_working_days_at(start: datetime, days: int) -> datetime:
    """End of the working day `days` working days after `start`'s day (solution targets)."""
    return end_of_working_day(add_working_days(start.astimezone(local_zone()).date(), days))
