"""Small pieces the complaint services share: status tokens, targets and the step record."""

import hashlib
import secrets
from datetime import datetime

from crm_project.workdays.calendar import add_working_days_at, add_working_hours

from ..models import Complaint, ComplaintEvent
from ..selectors import service_standard_for


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_status_token() -> tuple[str, str]:
    """(token, its hash): the complainant's unguessable status link; only the hash is kept."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def due_dates(severity: str, start: datetime) -> tuple[datetime, datetime]:
    """CMP-04: first response within the standard's working hours, solution by the end of the
    n-th working day, both on the working-day calendar. A solution is also a response, so the
    response is never due after the solution (an urgent complaint's 24 working hours can
    outlast its one working day)."""
    standard = service_standard_for(severity)
    solution_due = add_working_days_at(start, standard.solution_days)
    return min(add_working_hours(start, standard.response_hours), solution_due), solution_due


def record_step(complaint: Complaint, *, user, from_status: str, note: str = "") -> ComplaintEvent:
    """CMP-03: every step timestamped with who did it."""
    return ComplaintEvent.objects.create(
        complaint=complaint, from_status=from_status, to_status=complaint.status, user=user, note=note
    )
