from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from crm_project.workdays.calendar import (
    add_working_days,
    end_of_working_day,
    is_working_day,
    nth_working_day,
    working_day_deadline,
    working_day_number,
    working_days_in_month,
)
from crm_project.workdays.models import CalendarDay, CalendarYear, DayKind
from crm_project.workdays.services import calendar_year_load

SHANGHAI = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db


def test_it_counts_the_make_up_saturday_as_the_third_working_day_of_october_2026():
    """CAL-01, CAL-02: 1–7 October 2026 are holidays; Saturday 10 October is a make-up day."""
    assert nth_working_day(2026, 10, 1) == date(2026, 10, 8)
    assert nth_working_day(2026, 10, 2) == date(2026, 10, 9)
    assert nth_working_day(2026, 10, 3) == date(2026, 10, 10)


def test_it_treats_sunday_4_january_2026_as_a_working_day():
    """CAL-01: a Sunday declared a make-up working day (调休) is on."""
    assert date(2026, 1, 4).weekday() == 6
    assert is_working_day(date(2026, 1, 4))
    assert CalendarDay.objects.get(date=date(2026, 1, 4)).kind == DayKind.MAKEUP


def test_it_keeps_statutory_holidays_off():
    """CAL-01"""
    assert not is_working_day(date(2026, 10, 1))
    assert not is_working_day(date(2026, 10, 5))
    assert not is_working_day(date(2026, 1, 1))


def test_the_deadline_is_the_end_of_the_working_day_in_shanghai():
    """CAL-02: the statement for September 2026 is due at the end of Saturday 10 October."""
    deadline = working_day_deadline(2026, 10, 3)
    assert deadline == datetime(2026, 10, 10, 18, 0, tzinfo=SHANGHAI)
    assert deadline.isoformat() == "2026-10-10T18:00:00+08:00"
    assert end_of_working_day(date(2026, 11, 3)).hour == 18


def test_the_end_of_the_working_day_is_a_setting(settings):
    """CAL-02 (setting)"""
    settings.WORKDAY_END = "17:30"
    assert end_of_working_day(date(2026, 11, 3)) == datetime(2026, 11, 3, 17, 30, tzinfo=SHANGHAI)


def test_it_adds_working_days_across_the_national_day_holiday():
    """CAL-02"""
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 10, 8), 2) == date(2026, 10, 10)
    assert add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert add_working_days(date(2026, 10, 8), 0) == date(2026, 10, 8)


def test_it_adds_many_working_days_across_a_year_boundary():
    """CAL-01: past the covered years, Monday–Friday counts."""
    result = add_working_days(date(2026, 12, 1), 40)
    assert result.year == 2027
    assert result.weekday() < 5


def test_it_numbers_working_days():
    """CAL-02"""
    assert working_day_number(date(2026, 10, 10)) == 3
    assert working_day_number(date(2026, 10, 11)) is None


def test_a_year_without_a_table_falls_back_to_monday_to_friday():
    """CAL-01: 2027's holidays are not announced yet, so 1 January 2027 (a Friday) counts."""
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert is_working_day(date(2027, 1, 1))
    assert not is_working_day(date(2027, 1, 2))
    assert nth_working_day(2027, 2, 1) == date(2027, 2, 1)


def test_an_administrators_correction_changes_the_deadlines():
    """CAL-01: the table is editable, and deadlines follow it."""
    calendar_year_load(year=2027)
    day = CalendarDay.objects.get(date=date(2027, 1, 1))
    day.kind, day.name = DayKind.HOLIDAY, "元旦"
    day.save(update_fields=["kind", "name"])
    assert not is_working_day(date(2027, 1, 1))
    assert nth_working_day(2027, 1, 1) == date(2027, 1, 4)


def test_it_refuses_a_working_day_the_month_does_not_have():
    """CAL-02"""
    with pytest.raises(ValueError):
        nth_working_day(2026, 10, len(working_days_in_month(2026, 10)) + 1)
    with pytest.raises(ValueError):
        nth_working_day(2026, 10, 0)


def test_the_seeded_table_covers_every_year_the_package_covers():
    """CAL-01"""
    assert CalendarYear.objects.filter(year=2026, confirmed=True).exists()
    assert CalendarDay.objects.filter(date__year=2026).count() == 365


def test_working_hours_count_only_the_working_day():
    """CAL-02, CMP-04: 24 working hours from Friday 30 September 2026 17:00 skip the holiday."""
    from crm_project.workdays.calendar import add_working_days_at, add_working_hours

    start = datetime(2026, 9, 30, 17, 0, tzinfo=SHANGHAI)
    # 1 h on 30 Sep, then 9 h on 8 Oct, 9 h on 9 Oct, 5 h on Saturday 10 Oct (make-up day).
    assert add_working_hours(start, 24) == datetime(2026, 10, 10, 14, 0, tzinfo=SHANGHAI)
    assert add_working_hours(datetime(2026, 11, 23, 20, 0, tzinfo=SHANGHAI), 2) == datetime(
        2026, 11, 24, 11, 0, tzinfo=SHANGHAI
    )
    assert add_working_days_at(start, 1) == datetime(2026, 10, 8, 18, 0, tzinfo=SHANGHAI)
