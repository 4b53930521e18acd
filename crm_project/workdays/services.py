"""Loading and editing the calendar table (CAL-01)."""

from datetime import date, timedelta

import chinese_calendar
from django.db import transaction

from .models import CalendarDay, CalendarYear, DayKind

SOURCE_PACKAGE = "chinese-calendar"
SOURCE_WEEKDAYS = "Monday–Friday template"


def package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def package_years() -> list[int]:
    first = min(chinese_calendar.holidays).year
    last = max(max(chinese_calendar.holidays), max(chinese_calendar.workdays)).year
    return [year for year in range(first, last + 1) if package_covers(year)]


def package_day(day: date) -> tuple[str, str]:
    """(kind, holiday name) of a day, from chinese-calendar."""
    _on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
    working = chinese_calendar.is_workday(day)
    weekend = day.weekday() >= 5
    holiday_name = chinese_calendar.Holiday(holiday).chinese if holiday else ""
    if working:
        kind = DayKind.MAKEUP if weekend else DayKind.WORKDAY
        name = holiday_name if weekend else ""
    elif weekend and not holiday:
        kind, name = DayKind.WEEKEND, ""
    else:
        kind, name = DayKind.HOLIDAY, holiday_name
    return str(kind), name


def weekday_template_day(day: date) -> tuple[str, str]:
    return str(DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY), ""


def days_of_year(year: int, build) -> list[tuple[date, str, str]]:
    day, days = date(year, 1, 1), []
    while day.year == year:
        days.append((day, *build(day)))
        day += timedelta(days=1)
    return days


@transaction.atomic
def calendar_year_load(*, year: int, replace: bool = False) -> CalendarYear:
    """Fill a year's days: from chinese-calendar where it covers the year, otherwise from a
    Monday–Friday template for an administrator to correct with the new holiday notice.
    An existing year is left as it is unless `replace` is given."""
    existing = CalendarYear.objects.filter(year=year).first()
    if existing and not replace:
        return existing
    from_package = package_covers(year)
    calendar_year, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": SOURCE_PACKAGE if from_package else SOURCE_WEEKDAYS, "confirmed": from_package}
    )
    CalendarDay.objects.filter(year=calendar_year).delete()
    build = package_day if from_package else weekday_template_day
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day, year=calendar_year, kind=kind, name=name) for day, kind, name in days_of_year(year, build)
    )
    return calendar_year


def calendar_load_package_years() -> list[int]:
    years = package_years()
    for year in years:
        calendar_year_load(year=year)
    return years
