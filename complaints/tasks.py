"""Complaint jobs: they take ISO strings, load, and call services (JOB-09)."""

from datetime import datetime

from django.utils import timezone

from crm_project.core.jobs import job

from .services.escalation import complaint_escalate_breaches


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@job(name="complaints.escalate_breaches")
def escalate_breaches(now: str | None = None) -> int:
    """CMP-04, JOB-06: every 10 minutes, escalate new service-standard breaches once."""
    return complaint_escalate_breaches(now=_moment(now))
