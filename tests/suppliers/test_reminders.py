"""Reminders for supplier steps left waiting, each sent once (SUP-04, SUP-05, JOB-09, JOB-10)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crm_project.notifications.models import Notification
from suppliers.models import Stage
from suppliers.services.survey import supplier_sign_finding
from suppliers.tasks import remind_waiting_steps

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_unsigned_surveys_and_undecided_applications_are_reminded_once(at, team, head, buyer):
    """SUP-04 SUP-05 JOB-09: after 3 working days (a setting), to the department head and the
    head of purchasing; a second run sends nothing more."""
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):  # a Monday
        onsite = at(Stage.ONSITE_SURVEY)
        approval = at(Stage.APPROVAL)
        supplier_sign_finding(actor=team["technical"], supplier=onsite, department="technical", findings="好", score=4)
    assert remind_waiting_steps(today="2026-03-04") == 0
    assert remind_waiting_steps(today="2026-03-05") == 3
    assert remind_waiting_steps(today="2026-03-06") == 0
    reminded = Notification.objects.filter(key__contains="reminder").values_list("recipient__username", "key")
    assert sorted(reminded) == [
        ("design_staff", f"supplier-onsite-reminder:{onsite.pk}:design"),
        ("purchasing_head", f"supplier-application-reminder:{approval.pk}:{head.pk}"),
        ("quality_staff", f"supplier-onsite-reminder:{onsite.pk}:quality"),
    ]
