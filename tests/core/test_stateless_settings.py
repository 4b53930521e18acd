"""Data an administrator edits is read fresh by every process (issue 16, stateless web): no web
process or worker keeps the working-day calendar or a settings row in its memory, so a holiday
entered in the admin on one machine moves deadlines everywhere at once (CAL-01, CAL-02)."""

from datetime import date
from decimal import Decimal

import pytest

from crm_project.workdays.calendar import is_working_day, nth_working_day
from expenses.models import FeeSettings
from tests.core.another_process import run_elsewhere

EDIT_IN_THE_ADMIN_ELSEWHERE = """
from datetime import date
from decimal import Decimal
from crm_project.workdays.models import CalendarDay, CalendarYear, DayKind
from expenses.models import FeeSettings
year = CalendarYear.objects.create(year=2031, source="admin", confirmed=True)
CalendarDay.objects.create(date=date(2031, 3, 3), year=year, kind=DayKind.HOLIDAY, name="test holiday")
FeeSettings.objects.filter(pk=1).update(advance_cap=Decimal("5000.00"))
print(json.dumps("edited"))
"""


@pytest.mark.django_db(transaction=True)
def test_a_holiday_and_a_setting_edited_on_another_machine_apply_here_at_once():
    """CAL-01, CAL-02: this process read the calendar and the settings before (anything it kept
    would now be stale); after the edit elsewhere it reads the new day off and the new cap."""
    monday = date(2031, 3, 3)
    assert is_working_day(monday) and nth_working_day(2031, 3, 1) == monday
    assert FeeSettings.load().advance_cap == Decimal("3000.00")
    assert run_elsewhere(EDIT_IN_THE_ADMIN_ELSEWHERE) == "edited"
    assert not is_working_day(monday)
    assert nth_working_day(2031, 3, 1) == date(2031, 3, 4)
    assert FeeSettings.load().advance_cap == Decimal("5000.00")
