"""Time left to the service-standard targets, for the ticket page and the list (CMP-04)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Complaint
from .selectors import AWAITING_SOLUTION

SOON = timedelta(hours=8)


@dataclass
class Target:
    key: str  # "response" or "solution"
    label: str
    due: datetime
    met_at: datetime | None
    state: str  # "met", "late", "running", "soon", "overdue"
    text: str

    @property
    def css(self) -> str:
        return {"met": "success", "late": "secondary", "running": "info", "soon": "warning", "overdue": "danger"}[
            self.state
        ]


def duration_text(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)s min") % {"minutes": minutes}


def _target(key: str, label: str, due: datetime, met: bool, met_at: datetime | None, now: datetime) -> Target:
    if met:
        if met_at is not None and met_at > due:
            return Target(
                key, label, due, met_at, "late", _("met %(late)s late") % {"late": duration_text(met_at - due)}
            )
        return Target(key, label, due, met_at, "met", _("met on time"))
    if now > due:
        return Target(key, label, due, None, "overdue", _("overdue by %(time)s") % {"time": duration_text(now - due)})
    state = "soon" if due - now <= SOON else "running"
    return Target(key, label, due, None, state, _("%(time)s left") % {"time": duration_text(due - now)})


def complaint_targets(complaint: Complaint, now: datetime | None = None) -> list[Target]:
    now = now or timezone.now()
    return [
        _target(
            "response",
            _("First response"),
            complaint.response_due_at,
            complaint.responded_at is not None,
            complaint.responded_at,
            now,
        ),
        _target(
            "solution",
            _("Solution"),
            complaint.solution_due_at,
            complaint.status not in AWAITING_SOLUTION,
            complaint.solution_proposed_at,
            now,
        ),
    ]
