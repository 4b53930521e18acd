"""Tenant meetings 租户大会 (TEN-05): a meeting with its agenda, minutes and attendance, and each
suggestion raised there logged in the request log through `request_log` (channel `meeting`),
so the standards and the steps of TEN-02/TEN-03 apply to it. The reminder job (JOB-09) tells
the operations manager once per quarter while the quarter has no quarterly meeting."""

import calendar
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.core.errors import DomainError
from crm_project.notifications.services import notify
from crm_project.workdays.calendar import nth_working_day

from ..models import Category, Channel, MeetingAttendance, Tenant, TenantMeeting, TenantRequest
from ..permissions_meetings import can_run_meetings
from ..selectors import operations_manager, tenant_visible_to
from ..selectors_meetings import quarter_has_meeting, quarter_of
from .common import require, save
from .requests import _text, request_log

TITLE_MAX = 200
TEXT_MAX = 20000
NAME_MAX = 100


def _attendance(actor, attendees: dict[int, str], *, held_on: date) -> dict[int, str]:
    """{tenant id: attendee name}: current tenants the actor sees, names trimmed."""
    if not attendees:
        return {}
    if held_on > timezone.localdate():
        raise DomainError(_("Attendance is recorded once the meeting has been held."), field="attendees")
    known = set(
        tenant_visible_to(actor).filter(pk__in=list(attendees), moved_out_at__isnull=True).values_list("pk", flat=True)
    )
    if known != set(attendees):
        raise DomainError(_("Unknown tenant, or the tenant has moved out."), field="attendees")
    names = {}
    for pk, name in attendees.items():
        name = (name or "").strip()
        if len(name) > NAME_MAX:
            raise DomainError(
                _("An attendee's name is too long: at most %(limit)s characters.") % {"limit": NAME_MAX},
                field="attendees",
            )
        names[pk] = name
    return names


def _clean(title: str, agenda: str, minutes: str, kind: str) -> tuple[str, str, str]:
    if kind not in TenantMeeting.Kind.values:
        raise DomainError(_("Choose the kind: a quarterly meeting or one on a major event."), field="kind")
    return (
        _text(title, field="title", label=_("the title"), limit=TITLE_MAX),
        _text(agenda, field="agenda", label=_("the agenda"), required=False, limit=TEXT_MAX),
        _text(minutes, field="minutes", label=_("the minutes"), required=False, limit=TEXT_MAX),
    )


def _write_attendance(meeting: TenantMeeting, actor, names: dict[int, str]) -> None:
    existing = {row.tenant_id: row for row in meeting.attendances.all()}
    gone = set(existing) - set(names)
    if gone:
        raised = set(meeting.suggestions.filter(tenant_id__in=gone).values_list("tenant_id", flat=True))
        if raised:
            shops = ", ".join(str(t) for t in Tenant.objects.filter(pk__in=raised).order_by("unit"))
            raise DomainError(
                _("%(shops)s raised a suggestion at this meeting and stays on the attendance.") % {"shops": shops},
                field="attendees",
            )
        for pk in gone:
            row = existing[pk]
            row._history_user = actor
            row.delete()
    for pk, name in names.items():
        row = existing.get(pk)
        if row is None:
            row = MeetingAttendance(meeting=meeting, tenant_id=pk, attendee_name=name)
            row._history_user = actor
            row.save()
        elif row.attendee_name != name:
            row.attendee_name = name
            save(row, actor, ["attendee_name"])


def meeting_create(
    *, actor, held_on: date, kind: str, title: str, agenda: str = "", minutes: str = "", attendees: dict[int, str]
) -> TenantMeeting:
    """TEN-05: operations records a meeting (planned, or held with its attendance)."""
    require(can_run_meetings(actor), _("Only operations organises tenant meetings."))
    title, agenda, minutes = _clean(title, agenda, minutes, kind)
    names = _attendance(actor, attendees, held_on=held_on)
    with transaction.atomic():
        meeting = TenantMeeting(
            held_on=held_on, kind=kind, title=title, agenda=agenda, minutes=minutes, organised_by=actor
        )
        meeting._history_user = actor
        meeting.save()
        _write_attendance(meeting, actor, names)
    return meeting


def meeting_update(
    *,
    actor,
    meeting: TenantMeeting,
    held_on: date,
    kind: str,
    title: str,
    agenda: str = "",
    minutes: str = "",
    attendees: dict[int, str],
) -> TenantMeeting:
    """TEN-05: the agenda, minutes and attendance kept current; a tenant who raised a suggestion
    at the meeting cannot be taken off its attendance."""
    require(can_run_meetings(actor), _("Only operations organises tenant meetings."))
    title, agenda, minutes = _clean(title, agenda, minutes, kind)
    names = _attendance(actor, attendees, held_on=held_on)
    with transaction.atomic():
        meeting = TenantMeeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.suggestions.exists() and held_on > timezone.localdate():
            raise DomainError(
                _("A meeting with suggestions has been held; it cannot move to the future."), field="held_on"
            )
        meeting.held_on, meeting.kind, meeting.title = held_on, kind, title
        meeting.agenda, meeting.minutes = agenda, minutes
        save(meeting, actor, ["held_on", "kind", "title", "agenda", "minutes"])
        _write_attendance(meeting, actor, names)
    return meeting


def meeting_add_suggestion(
    *, actor, meeting: TenantMeeting, tenant: Tenant, description: str, category: str = Category.SUGGESTION
) -> TenantRequest:
    """TEN-05, TEN-02: a suggestion raised at the meeting by a tenant who attended is logged as a
    request (channel `meeting`) and linked to the meeting; the request log's rules apply."""
    require(can_run_meetings(actor), _("Only operations logs the suggestions of a tenant meeting."))
    with transaction.atomic():
        meeting = TenantMeeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.held_on > timezone.localdate():
            raise DomainError(_("Suggestions are logged once the meeting has been held."))
        if not meeting.attendances.filter(tenant=tenant).exists():
            raise DomainError(_("Only a tenant who attended the meeting raises a suggestion at it."), field="tenant")
        request = request_log(
            actor=actor, tenant=tenant, category=category, description=description, channel=Channel.MEETING
        )
        request.meeting = meeting
        save(request, actor, ["meeting"], _("Raised at the tenant meeting of %(day)s") % {"day": meeting.held_on})
    return request


def remind_quarterly_meeting(*, today: date | None = None) -> int:
    """TEN-05, JOB-09: from the 1st working day of a quarter's last month, while the quarter has
    no quarterly meeting (held or planned), the operations manager is reminded — once per
    quarter, whatever the number of runs. Returns how many reminders this run sent."""
    today = today or timezone.localdate()
    year, quarter = quarter_of(today)
    last_month = 3 * quarter
    if today < nth_working_day(year, last_month, 1) or quarter_has_meeting(year, quarter):
        return 0
    manager = operations_manager()
    if manager is None:
        return 0
    sent = notify(
        recipient=manager,
        key=f"tenant-meeting-quarter:{year}-Q{quarter}:{manager.pk}",
        kind="tenant-meeting",
        title=gettext_lazy("No tenant meeting yet this quarter (%(quarter)s)"),
        body=gettext_lazy("A tenant meeting is held every quarter; plan one before %(end)s."),
        params={
            "quarter": f"{year} Q{quarter}",
            "end": date(year, last_month, calendar.monthrange(year, last_month)[1]),
        },
        url=reverse("tenants:meeting_new"),
    )
    return int(sent is not None)
