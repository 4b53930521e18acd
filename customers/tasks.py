"""Background jobs of the customers app (JOB-04, JOB-09). Each job takes ISO dates as text,
loads, and calls a service; each is idempotent, so a retry or a second run changes nothing.

Schedules are declared in customers/schedules.py.
"""

from crm_project.core.jobs import job, job_day

from .services.visits import visit_digest_send, visit_plan_generate

# Jobs of other customers features live in their own modules; import each one here, one line
# each, so Celery and `run_job` find them.


@job(name="customers.generate_visit_plans")
def generate_visit_plans(today: str | None = None, horizon_months: int = 3) -> int:
    """Daily: plan visits by grade frequency (CUS-09). Returns the number of visits added."""
    return visit_plan_generate(today=job_day(today), horizon_months=horizon_months)


@job(name="customers.weekly_visit_digest")
def weekly_visit_digest(today: str | None = None) -> int:
    """Mondays: overdue visits and coming birthdays to each owner, overdue visits of the team
    to their sales managers (JOB-04, CUS-11). Returns the number of notifications sent."""
    return visit_digest_send(today=job_day(today))


from . import tasks_imports  # noqa: E402, F401  (CUS-12: customers.import_check, import_apply, import_sweep)
