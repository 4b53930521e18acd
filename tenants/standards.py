"""The response standards of TEN-03, read from the setting TENANT_RESPONSE_STANDARDS: per
category a time to respond and a time to resolve, each "<n> <unit>". Minutes and hours count
on the clock (the hotline answers 24 hours a day); working days count on the working-day
calendar (CAL-02) and end when the n-th working day after the start ends.

    due_at("emergency", "respond", logged_at)   # 23:50 → 00:05
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crm_project.workdays.calendar import add_working_days_at

UNITS = {
    "minute": "minutes",
    "minutes": "minutes",
    "hour": "hours",
    "hours": "hours",
    "working day": "working_days",
    "working days": "working_days",
}
TARGETS = ("respond", "resolve")


@dataclass(frozen=True)
class Target:
    amount: int
    unit: str  # minutes, hours or working_days

    def due(self, start: datetime) -> datetime:
        if self.unit == "working_days":
            return add_working_days_at(start, self.amount)
        return start + timedelta(**{self.unit: self.amount})

    def __str__(self) -> str:
        if self.unit == "minutes":
            return ngettext("%(n)d minute", "%(n)d minutes", self.amount) % {"n": self.amount}
        if self.unit == "hours":
            return ngettext("%(n)d hour", "%(n)d hours", self.amount) % {"n": self.amount}
        return ngettext("%(n)d working day", "%(n)d working days", self.amount) % {"n": self.amount}


def parse(text: str) -> Target | None:
    """ "15 minutes" → Target(15, "minutes"); "" → None (no target)."""
    text = (text or "").strip().lower()
    if not text:
        return None
    amount, _space, unit = text.partition(" ")
    if not amount.isdigit() or int(amount) <= 0 or unit.strip() not in UNITS:
        raise ImproperlyConfigured(
            f"TENANT_RESPONSE_STANDARDS: {text!r} is not '<n> minutes', '<n> hours' or '<n> working days'"
        )
    return Target(int(amount), UNITS[unit.strip()])


def target(category: str, which: str) -> Target | None:
    """The category's target to respond or to resolve, or None where it has none."""
    standards = settings.TENANT_RESPONSE_STANDARDS.get(category, {})
    return parse(standards.get(which, ""))


def due_at(category: str, which: str, start: datetime) -> datetime | None:
    rule = target(category, which)
    return rule.due(start) if rule else None


def check_all() -> None:
    """Every standard parses (called at start-up, so a typo fails loudly, not at 3 a.m.)."""
    for standards in settings.TENANT_RESPONSE_STANDARDS.values():
        for which in TARGETS:
            parse(standards.get(which, ""))


NO_TARGET = _("no target")
