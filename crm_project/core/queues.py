"""The Celery queues and which job goes on which: the one place routes are declared.

Each queue can have its own workers (deploy/README.md), so a 10,000-row import or a year's
export never waits in front of an emergency escalation, and a slow mail server never holds up
either. A worker started without `-Q` (`make run`) consumes them all.

- `reminders`: reminders and escalations, which have a deadline to meet (JOB-01 … JOB-06);
- `mail`: whatever talks to the mail server (the outbox, invitations, notices to tenants);
- `bulk`: Excel imports and background exports, long and CPU-heavy;
- `default`: everything else (plans, sweeps, purges, survey rounds).
"""

from kombu import Queue

DEFAULT = "default"
MAIL = "mail"
BULK = "bulk"
REMINDERS = "reminders"

QUEUES = (DEFAULT, MAIL, BULK, REMINDERS)

ROUTES: dict[str, str] = {
    # mail
    "notifications.send_email": MAIL,
    "notifications.send_due_emails": MAIL,
    "surveys.send_survey_invitations": MAIL,
    "surveys.send_unsent_survey_invitations": MAIL,
    "tenants.send_notice_links": MAIL,
    "tenants.send_unsent_notice_links": MAIL,
    "tenants.send_bulk_notice": MAIL,
    "tenants.send_pending_bulk_notices": MAIL,
    # imports and exports
    "customers.import_check": BULK,
    "customers.import_apply": BULK,
    "core.export_run": BULK,
    # reminders and escalations
    "complaints.escalate_breaches": REMINDERS,
    "tenants.escalate_breaches": REMINDERS,
    "tenants.escalate_rectifications": REMINDERS,
    "expenses.statement_reminders": REMINDERS,
    "expenses.review_reminders": REMINDERS,
    "expenses.payout_reminders": REMINDERS,
    "expenses.remind_claims_due": REMINDERS,
    "suppliers.remind_waiting_steps": REMINDERS,
    "tenants.remind_quarterly_meeting": REMINDERS,
    "tenants.remind_unsigned_notices": REMINDERS,
    "customers.weekly_visit_digest": REMINDERS,
    "tenants.tenant_visit_digest": REMINDERS,
    "workdays.calendar_coverage_reminder": REMINDERS,
}


def queue_of(task_name: str) -> str:
    return ROUTES.get(task_name, DEFAULT)


def route_job(name, args, kwargs, options, task=None, **kw):
    """Celery's router (CELERY_TASK_ROUTES): every job by its name, the rest to `default`."""
    return {"queue": queue_of(name)}


def celery_queues() -> tuple[Queue, ...]:
    return tuple(Queue(name, routing_key=name) for name in QUEUES)
