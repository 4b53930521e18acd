"""Tenant desk jobs: they take a moment or nothing, load, and call services (JOB-09)."""

from datetime import datetime

from crm_project.core.jobs import job

from .services.escalation import request_escalate_breaches
from .services.recordings import recordings_purge


def _moment(now: str | None) -> datetime | None:
    return datetime.fromisoformat(now) if now else None


@job(name="tenants.escalate_breaches")
def escalate_breaches(now: str | None = None) -> int:
    """Every 5 minutes (an emergency's 15 cannot wait for more): each passed target of an open
    request is escalated once (TEN-03, JOB-06)."""
    return request_escalate_breaches(now=_moment(now))


@job(name="tenants.purge_recordings")
def purge_recordings(now: str | None = None) -> int:
    """Daily: recordings past their retention are deleted and logged (TEN-04, JOB-07)."""
    return recordings_purge(now=_moment(now))


# Celery discovers only `tasks`: the visit plan's and bulk notices' jobs are declared beside it.
from . import tasks_visits  # noqa: E402, F401
