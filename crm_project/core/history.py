"""The audit history of a record (ORG-03), as rows for its page.

Recorded by django-simple-history: every save of a registered model writes a full
snapshot row with who and when; here consecutive snapshots are compared to show what
changed.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def _display(record, model_field) -> str:
    value = getattr(record, model_field.name, None)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return str(value)


def history_entries(obj: Model, *, limit: int = 50) -> list[HistoryEntry]:
    """Newest first. Two queries whatever the number of entries. Ordered by the snapshot's
    sequence, not its date: each entry is diffed against the one before it, and a clock can
    repeat or step back (a retry, NTP, a test's travel) while the sequence cannot."""
    records = list(obj.history.select_related("history_user").order_by("-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                model_field = obj._meta.get_field(change.field)
                changes.append(
                    FieldChange(
                        label=str(model_field.verbose_name),
                        old=_display(previous, model_field),
                        new=_display(record, model_field),
                    )
                )
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user.display_name if record.history_user else str(_("system")),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
