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


# Celery's autodiscovery and `run_job` import only `tasks`: the jobs of the meetings (TEN-05),
# the outgoing notices (TEN-06), fire safety (TEN-07, JOB-08), the visits and bulk notices
# (TEN-08) live in their own modules.
from . import (  # noqa: E402, F401
    tasks_fire,
    tasks_meetings,
    tasks_notices,
    tasks_visits,
)
