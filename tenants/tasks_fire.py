"""Fire-safety inspection jobs (TEN-07, JOB-08, JOB-09): started daily by beat; each decides
itself whether today is its day, and running twice changes nothing."""

from crm_project.core.jobs import job, job_day
from crm_project.workdays.calendar import nth_working_day

from .services.fire import fire_notices_email, issue_monthly_notice, rectifications_escalate_overdue


@job(name="tenants.issue_fire_safety_notice")
def issue_fire_safety_notice(today: str | None = None) -> int:
    """On the month's 1st working day, the notice to every current tenant (JOB-08); on any day,
    the e-mails a failed run left unsent. Returns how many notices were issued."""
    day = job_day(today)
    issued = 0
    if day == nth_working_day(day.year, day.month, 1):
        issued = issue_monthly_notice(month=day)
    fire_notices_email()
    return issued


@job(name="tenants.escalate_rectifications")
def escalate_rectifications(today: str | None = None) -> int:
    """Daily: each open rectification letter past its deadline, escalated once."""
    return rectifications_escalate_overdue(today=job_day(today))
