"""Tenant meeting jobs (TEN-05): they take a day or nothing and call the service (JOB-09)."""

from crm_project.core.jobs import job, job_day

from .services.meetings import remind_quarterly_meeting as meeting_remind


@job(name="tenants.remind_quarterly_meeting")
def remind_quarterly_meeting(today: str | None = None) -> int:
    """Daily: the operations manager is reminded once per quarter with no quarterly meeting."""
    return meeting_remind(today=job_day(today))
