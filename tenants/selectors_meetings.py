"""Reads for tenant meetings (TEN-05) and the fee schedule (TEN-10). The meeting targets are
computed from the data, never stored: the face-to-face rate (current tenants met at ≥ 1 meeting
of the year / current tenants) and the share of the year's meeting suggestions answered."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from crm_project.accounts.access import visible_to

from .models import Channel, FeeScheduleItem, MeetingAttendance, Status, TenantMeeting, TenantRequest
from .selectors import request_visible_to, tenant_visible_to

ANSWERED = (Status.RESPONDED, Status.RESOLVED, Status.CONFIRMED)


def meeting_visible_to(user) -> QuerySet[TenantMeeting]:
    return visible_to(user, TenantMeeting.objects.all())


def fee_items_visible_to(user) -> QuerySet[FeeScheduleItem]:
    return visible_to(user, FeeScheduleItem.objects.all())


def meeting_list(user) -> QuerySet[TenantMeeting]:
    """The list's rows with their counts, in one query whatever the page."""
    return meeting_visible_to(user).annotate(
        attendee_count=Count("attendances", distinct=True), suggestion_count=Count("suggestions", distinct=True)
    )


def meeting_requests(user, year: int) -> QuerySet[TenantRequest]:
    """TEN-05: the suggestions of the year's meetings — a request linked to a meeting held that
    year, or taken at a meeting (channel `meeting`) without a link and logged that year."""
    return request_visible_to(user).filter(
        Q(meeting__held_on__year=year) | Q(meeting__isnull=True, channel=Channel.MEETING, logged_at__year=year)
    )


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MeetingTargets:
    year: int
    current_tenants: int
    tenants_met: int
    attendance_rate: Decimal | None
    attendance_target: int
    suggestions: int
    suggestions_answered: int
    answered_rate: Decimal | None

    @property
    def attendance_met(self) -> bool:
        return self.attendance_rate is not None and self.attendance_rate >= self.attendance_target

    @property
    def answered_met(self) -> bool:
        # No suggestion raised: nothing is left unanswered.
        return self.answered_rate is None or self.answered_rate >= 100


def meeting_targets(user, year: int | None = None) -> MeetingTargets:
    """TEN-05's two targets for `year` (this year by default), in three queries. Current tenants
    are those not moved out; one met at several meetings counts once."""
    year = year or timezone.localdate().year
    current = tenant_visible_to(user).filter(moved_out_at__isnull=True)
    met = (
        visible_to(user, MeetingAttendance.objects.all())
        .filter(meeting__held_on__year=year, tenant__in=current)
        .values("tenant")
        .distinct()
        .count()
    )
    total = current.count()
    answered = meeting_requests(user, year).aggregate(
        all=Count("pk"), answered=Count("pk", filter=Q(status__in=ANSWERED))
    )
    return MeetingTargets(
        year=year,
        current_tenants=total,
        tenants_met=met,
        attendance_rate=_percent(met, total),
        attendance_target=settings.TENANT_MEETING_ATTENDANCE_TARGET,
        suggestions=answered["all"],
        suggestions_answered=answered["answered"],
        answered_rate=_percent(answered["answered"], answered["all"]),
    )


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_has_meeting(year: int, quarter: int) -> bool:
    """A quarterly meeting held or planned in the quarter (the job reads for nobody in particular)."""
    first_month = 3 * (quarter - 1) + 1
    return TenantMeeting.objects.filter(
        kind=TenantMeeting.Kind.QUARTERLY,
        held_on__year=year,
        held_on__month__gte=first_month,
        held_on__month__lte=first_month + 2,
    ).exists()


def fee_items_valid_on(day: date | None = None) -> QuerySet[FeeScheduleItem]:
    """TEN-10: the published fee schedule — the items valid on `day` (today). Public: it is
    shown to tenants, so it is read without the access registry."""
    day = day or timezone.localdate()
    return FeeScheduleItem.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day
    ).order_by("kind", "name_zh", "pk")


def unanswered_suggestions(user) -> QuerySet[TenantRequest]:
    """TEN-05: suggestions raised at meetings not yet answered (logged or assigned), oldest first."""
    return (
        request_visible_to(user)
        .filter(Q(meeting__isnull=False) | Q(channel=Channel.MEETING), status__in=[Status.LOGGED, Status.ASSIGNED])
        .select_related("tenant", "meeting")
        .order_by("logged_at", "pk")
    )
