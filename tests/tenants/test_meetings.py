"""TEN-05, TEN-02, JOB-09: tenant meetings — the targets computed from the data, a suggestion
logged as a request (channel meeting), the attendance rules and the quarterly reminder."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.models import Notification
from tenants import tasks_meetings as tasks
from tenants.models import MeetingAttendance, RequestEvent, TenantMeeting, TenantRequest
from tenants.selectors_meetings import meeting_targets
from tenants.services.meetings import meeting_add_suggestion, meeting_create, meeting_update
from tenants.services.requests import request_respond
from tenants.services.tenants import tenant_move_out

from .factories import TenantFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
JUNE = datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)


def _meeting(desk, tenants, *, held_on=date(2026, 3, 20), kind="quarterly", **values):
    return meeting_create(
        actor=desk, held_on=held_on, kind=kind, title=values.pop("title", "2026年第一季度租户大会"),
        agenda="营运通报", minutes="会议纪要", attendees={t.pk: f"{t.shop_name}店长" for t in tenants}, **values,
    )  # fmt: skip


@time_machine.travel(JUNE, tick=False)
def test_the_targets_are_computed_from_the_year_s_attendance_and_suggestions(desk, tenant):
    """TEN-05: face-to-face = current tenants met at ≥ 1 meeting this year / current tenants (a
    tenant met twice counts once, a moved-out one not at all, last year's meeting not); answered
    = the year's meeting suggestions responded or later / all of them."""
    others = [TenantFactory(actor=desk) for _ in range(9)]
    current = [tenant, *others]  # 10 current tenants
    gone = TenantFactory(actor=desk)
    first = _meeting(desk, [*current[:8], gone])
    _meeting(desk, current[:9], held_on=date(2026, 5, 8), kind="event", title="专题会议")
    _meeting(desk, [current[9]], held_on=date(2025, 12, 20), title="2025年第四季度")
    tenant_move_out(actor=desk, tenant=gone)
    answered = meeting_add_suggestion(actor=desk, meeting=first, tenant=current[0], description="增设休息座椅")
    meeting_add_suggestion(actor=desk, meeting=first, tenant=current[1], description="延长免费停车")
    request_respond(actor=desk, request=answered, note="已纳入改造方案")

    targets = meeting_targets(desk, 2026)
    assert (targets.current_tenants, targets.tenants_met, str(targets.attendance_rate)) == (10, 9, "90.0")
    assert targets.attendance_met  # ≥ 90 %
    assert (targets.suggestions, targets.suggestions_answered, str(targets.answered_rate)) == (2, 1, "50.0")
    assert not targets.answered_met
    last_year = meeting_targets(desk, 2025)
    assert (last_year.tenants_met, last_year.suggestions, last_year.answered_met) == (1, 0, True)


@time_machine.travel(JUNE, tick=False)
def test_the_attendance_target_is_a_setting(desk, tenant, settings):
    """TEN-05: TENANT_MEETING_ATTENDANCE_TARGET decides whether the rate meets the target."""
    TenantFactory(actor=desk)
    _meeting(desk, [tenant])
    assert not meeting_targets(desk, 2026).attendance_met  # 50 % < 90 %
    settings.TENANT_MEETING_ATTENDANCE_TARGET = 50
    assert meeting_targets(desk, 2026).attendance_met


@time_machine.travel(JUNE, tick=False)
def test_a_suggestion_is_logged_as_a_request_with_channel_meeting(desk, tenant):
    """TEN-05, TEN-02: through the request log's service — a reference, the step, the standards."""
    meeting = _meeting(desk, [tenant])
    request = meeting_add_suggestion(actor=desk, meeting=meeting, tenant=tenant, description="建议增加指示牌")
    request.refresh_from_db()
    assert (request.channel, request.category, request.meeting_id, request.status) == (
        "meeting", "suggestion", meeting.pk, "logged",
    )  # fmt: skip
    assert request.reference.startswith("TR-2026-")
    assert list(RequestEvent.objects.filter(request=request).values_list("action", flat=True)) == ["log"]
    assert list(meeting.suggestions.all()) == [request]
    assert request.history.first().history_change_reason.startswith("Raised at the tenant meeting")


@time_machine.travel(JUNE, tick=False)
def test_a_suggestion_needs_an_attendee_a_held_meeting_and_the_desk(desk, tenant, gm):
    """TEN-05: only a tenant who attended raises a suggestion, once the meeting is held; management
    reads and never logs one. Nothing is written when refused."""
    stranger = TenantFactory(actor=desk)
    meeting = _meeting(desk, [tenant])
    with pytest.raises(DomainError, match="attended"):
        meeting_add_suggestion(actor=desk, meeting=meeting, tenant=stranger, description="x")
    planned = _meeting(desk, [], held_on=date(2026, 9, 18), title="第三季度")
    with pytest.raises(DomainError, match="held"):
        meeting_add_suggestion(actor=desk, meeting=planned, tenant=tenant, description="x")
    with pytest.raises(PermissionDenied):
        meeting_add_suggestion(actor=gm, meeting=meeting, tenant=tenant, description="x")
    with pytest.raises(DomainError):
        meeting_add_suggestion(actor=desk, meeting=meeting, tenant=tenant, description="   ")
    assert not TenantRequest.objects.exists()


@time_machine.travel(JUNE, tick=False)
def test_attendance_rules(desk, tenant):
    """TEN-05: no attendance for a meeting not yet held; a moved-out tenant cannot attend; a tenant
    who raised a suggestion stays on the attendance; the kinds are exactly quarterly and event."""
    with pytest.raises(DomainError, match="held"):
        _meeting(desk, [tenant], held_on=date(2026, 7, 1))
    gone = TenantFactory(actor=desk)
    tenant_move_out(actor=desk, tenant=gone)
    with pytest.raises(DomainError, match="moved out"):
        _meeting(desk, [gone])
    with pytest.raises(DomainError, match="kind"):
        _meeting(desk, [tenant], kind="annual")
    assert not TenantMeeting.objects.exists()
    meeting = _meeting(desk, [tenant])
    meeting_add_suggestion(actor=desk, meeting=meeting, tenant=tenant, description="建议")
    with pytest.raises(DomainError, match="stays on the attendance"):
        meeting_update(actor=desk, meeting=meeting, held_on=meeting.held_on, kind="quarterly", title="t", attendees={})
    assert MeetingAttendance.objects.filter(meeting=meeting).count() == 1
    other = TenantFactory(actor=desk)
    meeting_update(
        actor=desk, meeting=meeting, held_on=meeting.held_on, kind="event", title="改名",
        attendees={tenant.pk: "新名字", other.pk: ""},
    )  # fmt: skip
    assert dict(MeetingAttendance.objects.values_list("tenant_id", "attendee_name")) == {
        tenant.pk: "新名字", other.pk: "",
    }  # fmt: skip


def _reminders(person) -> int:
    return Notification.objects.filter(recipient=person, kind="tenant-meeting").count()


def test_the_quarterly_reminder_is_sent_once_per_quarter(desk, ops_manager, tenant):
    """TEN-05, JOB-09: from the 1st working day of the quarter's last month (2026-12-01), the
    operations manager is reminded once while the quarter has no quarterly meeting; run twice =
    one notification; none before that day; none once a meeting is planned."""
    assert tasks.remind_quarterly_meeting(today="2026-11-30") == 0
    assert tasks.remind_quarterly_meeting(today="2026-12-01") == 1
    assert tasks.remind_quarterly_meeting(today="2026-12-01") == 0
    assert tasks.remind_quarterly_meeting(today="2026-12-02") == 0
    assert _reminders(ops_manager) == 1
    with time_machine.travel(datetime(2027, 3, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        _meeting(desk, [], held_on=date(2027, 3, 26), title="2027年第一季度")
    assert tasks.remind_quarterly_meeting(today="2027-03-02") == 0
    assert _reminders(ops_manager) == 1


def test_an_event_meeting_does_not_stand_for_the_quarterly_one(desk, ops_manager, tenant):
    """TEN-05: a meeting on a major event in the quarter still leaves the reminder due."""
    with time_machine.travel(datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        _meeting(desk, [tenant], held_on=date(2026, 11, 5), kind="event", title="台风专题")
    assert tasks.remind_quarterly_meeting(today="2026-12-03") == 1
    assert _reminders(ops_manager) == 1
