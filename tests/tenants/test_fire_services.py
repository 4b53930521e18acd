"""TEN-07, JOB-08, JOB-09: the monthly fire-safety notice, results, rectification letters,
re-inspection and the escalation of overdue letters."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.models import Notification
from tenants import tasks_fire as tasks
from tenants.models import FireInspection, FireInspectionNotice, InspectionResult, Rectification
from tenants.services.fire import check_item_codes, issue_monthly_notice, record_result, reinspect
from tenants.services.tenants import tenant_move_out

from .factories import EXE_BYTES, TenantFactory, png, upload

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = date(2026, 10, 1)


def at(day: int, hour: int = 9, month: int = 10):
    return time_machine.travel(datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def shops(desk):
    with_mail = TenantFactory(
        actor=desk,
        contacts=[{"name": "王店长", "phone": "13800000001", "email": "wang@example.com", "is_primary": True}],
    )
    return [with_mail, TenantFactory(actor=desk), TenantFactory(actor=desk, unit="2F-201", floor="2F")]


@pytest.fixture
def inspection(desk, shops):
    with at(8):
        issue_monthly_notice(month=OCTOBER, actor=desk)
    return FireInspection.objects.get(month=OCTOBER)


def fail(actor, inspection, tenant, findings="灭火器过期"):
    return record_result(
        actor=actor, inspection=inspection, tenant=tenant, items=["extinguishers"], passed=False, findings=findings
    )


def test_the_notice_job_runs_on_the_first_working_day_of_october_2026_once(shops, django_capture_on_commit_callbacks):
    """TEN-07, JOB-08, JOB-09: 1–7 October are the National Day holiday; 8 October is the 1st
    working day. Run twice: one notice per current tenant, one e-mail to the main contact."""
    with at(8), django_capture_on_commit_callbacks(execute=True):
        assert tasks.issue_fire_safety_notice() == 3
        assert tasks.issue_fire_safety_notice() == 0
    inspection = FireInspection.objects.get()
    assert inspection.month == OCTOBER and inspection.notice_issued_at is not None
    assert FireInspectionNotice.objects.filter(inspection=inspection).count() == 3
    assert sorted(FireInspectionNotice.objects.values_list("tenant_id", flat=True)) == sorted(s.pk for s in shops)
    assert [m.to for m in mail.outbox] == [["wang@example.com"]]


@pytest.mark.parametrize("day", [1, 7, 9])
def test_the_notice_job_does_nothing_on_other_days(shops, day):
    """JOB-08: not on the holiday (1, 7 October) nor on the 2nd working day (9 October)."""
    with at(day):
        assert tasks.issue_fire_safety_notice() == 0
    assert not FireInspection.objects.exists() and not FireInspectionNotice.objects.exists()


def test_a_moved_out_tenant_gets_no_notice(desk, shops):
    """TEN-07: the notice goes to the current tenants."""
    tenant_move_out(actor=desk, tenant=shops[1])
    with at(8):
        assert tasks.issue_fire_safety_notice() == 2


def test_a_failed_unit_gets_one_letter_due_in_five_working_days(desk, inspection, shops):
    """TEN-07: findings and a deadline of TENANT_RECTIFICATION_WORKING_DAYS working days (Friday
    9 October 2026 + 5 working days, Saturday 10 October being a make-up working day)."""
    with at(9):
        result = fail(desk, inspection, shops[0])
    letter = Rectification.objects.get()
    assert letter.result == result and letter.tenant == shops[0]
    assert letter.findings == "灭火器过期" and letter.status == "open"
    assert letter.due_on == date(2026, 10, 15)
    assert list(inspection.inspectors.all()) == [desk]


def test_the_deadline_is_a_setting(settings, desk, inspection, shops):
    """TEN-07 (setting)"""
    settings.TENANT_RECTIFICATION_WORKING_DAYS = 1
    with at(9):
        fail(desk, inspection, shops[0])
    assert Rectification.objects.get().due_on == date(2026, 10, 10)


def test_a_passed_unit_needs_every_item_and_gets_no_letter(safety_staff, inspection, shops):
    """TEN-07: the safety department inspects too."""
    with at(9):
        with pytest.raises(DomainError) as error:
            record_result(actor=safety_staff, inspection=inspection, tenant=shops[1], items=["wiring"], passed=True)
        assert error.value.field == "items"
        record_result(actor=safety_staff, inspection=inspection, tenant=shops[1], items=check_item_codes(), passed=True)
    assert InspectionResult.objects.count() == 1 and not Rectification.objects.exists()


def test_a_second_result_for_the_same_tenant_is_refused(desk, inspection, shops):
    """TEN-07: one result per tenant and inspection; a later check is a re-inspection."""
    with at(9):
        fail(desk, inspection, shops[0])
        with pytest.raises(DomainError, match="already recorded"):
            record_result(actor=desk, inspection=inspection, tenant=shops[0], items=check_item_codes(), passed=True)
    assert InspectionResult.objects.count() == 1 and Rectification.objects.count() == 1


@pytest.mark.parametrize(
    "values, field",
    [
        ({"items": ["extinguishers"], "passed": False, "findings": ""}, "findings"),
        ({"items": ["nope"], "passed": False, "findings": "x"}, "items"),
        ({"items": [], "passed": False, "findings": "x"}, "items"),
        ({"items": ["wiring"], "passed": False, "findings": "x" * 2001}, "findings"),
    ],
)
def test_bad_results_write_nothing(desk, inspection, shops, values, field):
    """TEN-07: a bad result is a DomainError on its field; nothing is written."""
    with at(9), pytest.raises(DomainError) as error:
        record_result(actor=desk, inspection=inspection, tenant=shops[0], **values)
    assert error.value.field == field
    assert not InspectionResult.objects.exists() and not Rectification.objects.exists()


def test_a_program_posing_as_a_photo_is_refused(desk, inspection, shops):
    """TEN-07: photos are read from their content."""
    with at(9), pytest.raises(DomainError) as error:
        record_result(
            actor=desk, inspection=inspection, tenant=shops[0], items=["wiring"], passed=False, findings="x",
            photos=[upload("photo.jpg", EXE_BYTES)],
        )  # fmt: skip
    assert error.value.field == "photos" and not InspectionResult.objects.exists()


def test_outsiders_and_management_record_nothing(rep, engineer, gm, inspection, shops):
    """TEN-07, ORG-02: only operations and the safety department inspect; management reads."""
    for person in (rep, engineer, gm):
        with at(9), pytest.raises(PermissionDenied):
            fail(person, inspection, shops[0])
        with pytest.raises(PermissionDenied):
            issue_monthly_notice(month=OCTOBER, actor=person)
    assert not InspectionResult.objects.exists()


def test_reinspection_closes_the_letter_or_keeps_it_open_with_new_findings(desk, safety_staff, inspection, shops):
    """TEN-07: tracked until rectified; a passing re-check closes it with who and when."""
    with at(9):
        fail(desk, inspection, shops[0])
    letter = Rectification.objects.get()
    with at(12):
        letter = reinspect(actor=safety_staff, rectification=letter, passed=False, findings="灭火器已换，通道仍堵塞")
    assert letter.status == "open" and letter.findings == "灭火器已换，通道仍堵塞"
    with at(14):
        letter = reinspect(actor=safety_staff, rectification=letter, passed=True, photos=[png()])
    letter.refresh_from_db()
    assert letter.status == "rectified" and letter.rectified_by == safety_staff
    assert letter.rectified_at == datetime(2026, 10, 14, 9, 0, tzinfo=SHANGHAI)
    assert letter.reinspections.count() == 2 and letter.reinspections.get(passed=True).photos.count() == 1
    with at(15), pytest.raises(DomainError, match="already closed"):
        reinspect(actor=desk, rectification=letter, passed=True)


def test_an_overdue_letter_escalates_once(desk, ops_manager, safety_staff, inspection, shops):
    """TEN-07, JOB-09: past its deadline, the letter goes to the safety head and the operations
    manager, once, however often the job runs; a rectified or not yet due letter never does."""
    safety = safety_staff.department
    safety.head = safety_staff
    safety.save(update_fields=["head"])
    with at(9):
        fail(desk, inspection, shops[0])
        fail(desk, inspection, shops[1])
    rectified = Rectification.objects.get(tenant=shops[1])
    with at(12):
        reinspect(actor=desk, rectification=rectified, passed=True)
    with at(15):
        assert tasks.escalate_rectifications() == 0  # due today: not overdue yet
    with at(16):
        assert tasks.escalate_rectifications() == 1
        assert tasks.escalate_rectifications() == 0
    assert Rectification.objects.get(tenant=shops[0]).escalated_at is not None
    for person in (safety_staff, ops_manager):
        assert Notification.objects.filter(recipient=person, kind="tenant-escalation").count() == 1


def test_a_failed_notice_email_is_sent_by_the_next_daily_run_once(shops, monkeypatch):
    """JOB-08, JOB-09: the mail server is down on 8 October; the notice is issued anyway, and the
    next day's run sends the e-mail it could not send — once."""
    import tenants.services.fire as fire

    def down(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(fire, "send_mail", down)
    with at(8):
        assert issue_monthly_notice(month=OCTOBER) == 3
        with pytest.raises(OSError):
            fire.fire_notices_email()  # the job fails here and is retried
    assert FireInspectionNotice.objects.count() == 3
    assert FireInspectionNotice.objects.exclude(emailed_to="").get().emailed_at is None
    monkeypatch.undo()
    with at(9):
        assert tasks.issue_fire_safety_notice() == 0
        assert tasks.issue_fire_safety_notice() == 0
    assert [m.to for m in mail.outbox] == [["wang@example.com"]]
    assert FireInspectionNotice.objects.exclude(emailed_to="").get().emailed_at is not None
