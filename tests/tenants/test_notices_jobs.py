"""TEN-06, JOB-09: the daily reminder of notices still unsigned after 3 working days."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crm_project.notifications.models import Notification
from tenants import tasks_notices as tasks
from tenants.models import NoticeAddressee
from tenants.services.notices import notice_receipt_paper

from .factories import png
from .notice_fixtures import *  # noqa: F403
from .notice_fixtures import draft, walk

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 16, 10, 0, tzinfo=SHANGHAI)  # a plain working week


def _reminders():
    return Notification.objects.filter(key__startswith="notice-unsigned:")


def _delivered_monday(desk, engineer, engineering, gm, tenants):
    with time_machine.travel(MONDAY, tick=False):
        return walk(draft(desk, engineering, tenants), to="delivered", head=engineer, gm=gm, desk=desk)


def test_it_reminds_after_three_working_days_once(desk, ops_manager, engineer, engineering, gm, notice_tenants):
    """TEN-06, JOB-09: delivered Monday; nothing on Wednesday; Thursday (3 working days) the head
    of Operations and the drafter are told once, however often the job runs."""
    notice = _delivered_monday(desk, engineer, engineering, gm, notice_tenants)
    with time_machine.travel(datetime(2026, 3, 18, 9, 30, tzinfo=SHANGHAI), tick=False):
        assert tasks.remind_unsigned_notices() == 0
    with time_machine.travel(datetime(2026, 3, 19, 9, 30, tzinfo=SHANGHAI), tick=False):
        assert tasks.remind_unsigned_notices() == 2
        assert tasks.remind_unsigned_notices() == 0
    with time_machine.travel(datetime(2026, 3, 20, 9, 30, tzinfo=SHANGHAI), tick=False):
        assert tasks.remind_unsigned_notices() == 0
    assert sorted(_reminders().values_list("recipient__username", flat=True)) == ["deskclerk", "opsmanager"]
    assert _reminders().filter(recipient=ops_manager).count() == 1
    assert "3 tenants" in _reminders().first().title
    rows = NoticeAddressee.objects.filter(notice=notice)
    assert all(row.reminded_at and row.reminder_count == 1 for row in rows)


def test_the_weekend_does_not_count(desk, ops_manager, engineer, engineering, gm, notice_tenants):
    """TEN-06, CAL-01: delivered Thursday → due the next Tuesday, not on Sunday."""
    with time_machine.travel(datetime(2026, 3, 19, 10, 0, tzinfo=SHANGHAI), tick=False):
        walk(draft(desk, engineering, notice_tenants), to="delivered", head=engineer, gm=gm, desk=desk)
    for day in (20, 21, 22, 23):
        with time_machine.travel(datetime(2026, 3, day, 9, 30, tzinfo=SHANGHAI), tick=False):
            assert tasks.remind_unsigned_notices() == 0, day
    with time_machine.travel(datetime(2026, 3, 24, 9, 30, tzinfo=SHANGHAI), tick=False):
        assert tasks.remind_unsigned_notices() == 2


def test_a_fully_signed_notice_is_not_reminded(desk, ops_manager, engineer, engineering, gm, notice_tenants):
    """TEN-06: nobody is reminded of a notice every tenant has signed for."""
    notice = _delivered_monday(desk, engineer, engineering, gm, notice_tenants)
    for tenant in notice_tenants:
        notice_receipt_paper(actor=desk, notice=notice, tenant=tenant, scan=png())
    with time_machine.travel(datetime(2026, 3, 23, 9, 30, tzinfo=SHANGHAI), tick=False):
        assert tasks.remind_unsigned_notices() == 0


def test_the_setting_moves_the_reminder(desk, ops_manager, engineer, engineering, gm, notice_tenants, settings):
    """TEN-06: TENANT_NOTICE_REMINDER_WORKING_DAYS is a setting."""
    settings.TENANT_NOTICE_REMINDER_WORKING_DAYS = 1
    _delivered_monday(desk, engineer, engineering, gm, notice_tenants)
    with time_machine.travel(datetime(2026, 3, 17, 9, 30, tzinfo=SHANGHAI), tick=False):
        assert tasks.remind_unsigned_notices() == 2


def test_the_job_is_scheduled_daily():
    """JOB-09: declared in the one schedule list."""
    from crm_project.core.schedules import SCHEDULES

    assert any(s.task == "tenants.remind_unsigned_notices" and s.hour == "9" for s in SCHEDULES)
