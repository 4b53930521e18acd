"""Outgoing notices' job (TEN-06, JOB-09): imported at the bottom of tenants/tasks.py so Celery's
autodiscovery and `run_job` find it."""

from crm_project.core.jobs import job, job_day

from .services.notice_reminders import notices_remind_unsigned


@job(name="tenants.remind_unsigned_notices")
def remind_unsigned_notices(today: str | None = None) -> int:
    """Daily: operations staff are told of delivered notices still unsigned after
    TENANT_NOTICE_REMINDER_WORKING_DAYS working days, once per notice (TEN-06, JOB-09)."""
    return notices_remind_unsigned(today=job_day(today))
