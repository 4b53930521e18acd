"""Outgoing notices' job (TEN-06, JOB-09): imported at the bottom of tenants/tasks.py so Celery's
autodiscovery and `run_job` find it."""

from crm_project.core.jobs import job, job_day

from .services.notice_reminders import notices_remind_unsigned
from .services.notices import notice_links_send, notice_links_send_unsent


@job(name="tenants.send_notice_links")
def send_notice_links(notice_id: int) -> int:
    """E-mail a delivered notice's sign-for links not yet sent; a second run sends nothing."""
    return notice_links_send(notice_id=notice_id)


@job(name="tenants.send_unsent_notice_links")
def send_unsent_notice_links() -> int:
    """Every 10 minutes: the links of delivered notices still unsent (the broker was down)."""
    return notice_links_send_unsent()


@job(name="tenants.remind_unsigned_notices")
def remind_unsigned_notices(today: str | None = None) -> int:
    """Daily: operations staff are told of delivered notices still unsigned after
    TENANT_NOTICE_REMINDER_WORKING_DAYS working days, once per notice (TEN-06, JOB-09)."""
    return notices_remind_unsigned(today=job_day(today))
