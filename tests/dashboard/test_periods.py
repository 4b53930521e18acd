"""DSH-01: the dashboard's periods — a month, a quarter or a year, and the one before it."""

from datetime import date

import pytest
import time_machine

from crm_project.dashboard.periods import parse_period, this_month


@pytest.mark.parametrize(
    ("text", "start", "end", "previous"),
    [
        ("2026-09", date(2026, 9, 1), date(2026, 10, 1), "2026-08"),
        ("2026-01", date(2026, 1, 1), date(2026, 2, 1), "2025-12"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 4, 1), "2025-Q4"),
        ("2026-q4", date(2026, 10, 1), date(2027, 1, 1), "2026-Q3"),
        ("2026", date(2026, 1, 1), date(2027, 1, 1), "2025"),
    ],
)
def test_a_period_and_the_one_before_it(text, start, end, previous):
    """DSH-01: every figure compares with the period just before, of the same kind."""
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert period.previous().code == previous
    assert period.previous().end == period.start


def test_the_months_of_a_quarter_and_the_shift_to_the_review_months():
    """DSH-01: a quarter's statements under review are those of the three months before."""
    quarter = parse_period("2026-Q1")
    assert quarter.months == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert quarter.shifted(-1).months == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert quarter.last_month == date(2026, 3, 1)


def test_boundaries_are_midnight_in_shanghai():
    """DSH-01: a complaint received at 00:30 on the 1st, Beijing time, is the new month's."""
    period = parse_period("2026-09")
    assert period.start_at.isoformat() == "2026-09-01T00:00:00+08:00"
    assert period.end_at.isoformat() == "2026-10-01T00:00:00+08:00"


@pytest.mark.parametrize("text", ["", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-09", "2026/09", "0001", "9999",
                                  "2026-09-01", "abc", "2026-9", "１２３４"])  # fmt: skip
def test_anything_else_is_refused(text):
    """DSH-01: bad input is refused by the one parser (the page and the API answer 400)."""
    with pytest.raises(ValueError):
        parse_period(text)


@time_machine.travel("2026-12-31 23:50 +0800", tick=False)
def test_this_month_is_shanghai_s():
    """DSH-01: the default period is this month in Asia/Shanghai (UTC is still on the 31st at 15:50)."""
    assert this_month().code == "2026-12"
    with time_machine.travel("2026-12-31 16:10 +0000", tick=False):
        assert this_month().code == "2027-01"
