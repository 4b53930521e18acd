"""Jobs of the tenant visit plan and the bulk notices (TEN-08, JOB-04, JOB-09). Imported at the
bottom of tenants/tasks.py, the module Celery discovers."""

from crm_project.core.errors import DomainError
from crm_project.core.jobs import job, job_day

from .services.bulk import bulk_notice_deliver, bulk_notices_send_pending
from .services.visits import tenant_visit_digest_send, visit_plan_generate


@job(name="tenants.tenant_visit_digest")
def tenant_visit_digest(today: str | None = None) -> int:
    """Mondays: overdue tenant visits to each visitor and the team's to the operations manager
    (JOB-04), once per week (JOB-09)."""
    return tenant_visit_digest_send(today=job_day(today))


@job(name="tenants.generate_visit_plan")
def generate_visit_plan(today: str | None = None) -> int:
    """Daily: tenants that arrived since get their visit of the year (TEN-08); idempotent."""
    try:
        return visit_plan_generate(today=job_day(today))
    except DomainError:  # no operations staff yet: nothing to plan, and nothing to retry
        return 0


@job(name="tenants.send_bulk_notice")
def send_bulk_notice(notice_id: int) -> int:
    """E-mail a bulk notice's undelivered tenants, once each (TEN-08, JOB-09)."""
    return bulk_notice_deliver(notice_id=notice_id)


@job(name="tenants.send_pending_bulk_notices")
def send_pending_bulk_notices() -> int:
    """Every 10 minutes: what a notice's own job did not send (broker down, retries spent)."""
    return bulk_notices_send_pending()
