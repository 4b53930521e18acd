from datetime import date

import pytest

from crm_project.workdays.models import CalendarYear
from crm_project.workdays.tasks import calendar_coverage_reminder

pytestmark = pytest.mark.django_db


def test_the_month_page_marks_make_up_days_and_deadlines(client_for, rep):
    """CAL-01, CAL-02"""
    response = client_for(rep).get("/calendar/", {"month": "2026-10"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-date="2026-10-10"' in html
    assert "2026-10-10" in html.split('id="deadlines"')[1]


def test_the_month_page_says_so_for_a_bad_month(client_for, rep):
    response = client_for(rep).get("/calendar/", {"month": "2026-99"})
    assert response.status_code == 200
    assert "YYYY-MM" in response.content.decode()


def test_administrators_are_warned_about_an_unconfirmed_next_year(client_for, administrator, rep, time_machine):
    """CAL-01: from autumn, next year's missing holidays are flagged to admins only."""
    time_machine.move_to("2026-11-23 10:00 +0800")
    assert 'id="calendar-warning"' in client_for(administrator).get("/").content.decode()
    assert 'id="calendar-warning"' not in client_for(rep).get("/").content.decode()
    CalendarYear.objects.create(year=2027, confirmed=True)
    assert 'id="calendar-warning"' not in client_for(administrator).get("/").content.decode()


def test_the_coverage_reminder_runs_twice_without_a_second_message(administrator):
    """CAL-01, JOB-09"""
    assert calendar_coverage_reminder(today=date(2026, 11, 23).isoformat()) == 1
    assert calendar_coverage_reminder(today=date(2026, 11, 23).isoformat()) == 0
    assert administrator.notifications.count() == 1
    # A new week brings one new reminder.
    assert calendar_coverage_reminder(today=date(2026, 11, 30).isoformat()) == 1
