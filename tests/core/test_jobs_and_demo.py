import pytest
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from crm_project.accounts.models import Department, User
from crm_project.core.jobs import JOB_OPTIONS, load_all_jobs
from crm_project.core.schedules import SCHEDULES, sync_schedules

pytestmark = pytest.mark.django_db


def test_every_schedule_is_in_beats_table_after_migrate():
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {schedule.name for schedule in SCHEDULES} <= names


def test_a_schedule_changed_in_the_admin_is_kept_unless_reset():
    task = PeriodicTask.objects.get(name=SCHEDULES[0].name)
    task.enabled = False
    task.save(update_fields=["enabled"])
    sync_schedules()
    assert not PeriodicTask.objects.get(pk=task.pk).enabled
    sync_schedules(reset=True)
    assert PeriodicTask.objects.get(pk=task.pk).enabled


def test_every_job_late_acknowledges_and_retries():
    """JOB-09"""
    jobs = load_all_jobs()
    assert "workdays.calendar_coverage_reminder" in jobs
    for task in jobs.values():
        assert task.acks_late is True
        assert task.autoretry_for == JOB_OPTIONS["autoretry_for"]
        assert task.max_retries == JOB_OPTIONS["max_retries"]


def test_run_job_runs_a_job_by_name(capsys, administrator):
    call_command("run_job", "workdays.calendar_coverage_reminder", "--kwargs", '{"today": "2026-11-23"}')
    assert "workdays.calendar_coverage_reminder: 1" in capsys.readouterr().out
    call_command("run_job", "workdays.calendar_coverage_reminder", "--kwargs", '{"today": "2026-11-23"}')
    assert administrator.notifications.count() == 1


def test_run_job_refuses_an_unknown_name():
    with pytest.raises(CommandError, match="No job named"):
        call_command("run_job", "nope")


def test_seed_demo_is_idempotent_and_creates_every_demo_user():
    call_command("seed_demo")
    call_command("seed_demo")
    expected = {
        "admin", "gm1", "rep1", "rep2", "clerk1", "manager1", "director1", "finance1", "ops1", "procure1", "service1",
        "erp1",
    }  # fmt: skip
    assert expected <= set(User.objects.values_list("username", flat=True))
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="rep1").check_password("demo1234")
    assert User.objects.get(username="rep1").roles == {"sales_rep"}
    assert Department.objects.filter(code="sales").count() == 1
    assert User.objects.get(username="erp1").roles == {"integration"}
    # EXP-04: the ERP's late correction of a written-off month, once.
    from expenses.models import PurchaseCorrection

    assert PurchaseCorrection.objects.filter(made_by__username="erp1").count() == 1
