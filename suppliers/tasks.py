"""Supplier jobs: they take ISO dates, load, and call services (JOB-09)."""

from crm_project.core.jobs import job, job_day

from .services.reminders import supplier_remind_waiting_steps


@job(name="suppliers.remind_waiting_steps")
def remind_waiting_steps(today: str | None = None) -> int:
    """Daily: each step waiting longer than the setting is reminded once (SUP-04, SUP-05)."""
    return supplier_remind_waiting_steps(today=job_day(today))
