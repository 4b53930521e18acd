"""The tenant visit plan (TEN-08) and the weekly digest of overdue tenant visits (JOB-04).

Every current tenant is visited at least once a year by operations staff. The plan generator
gives each current tenant without a visit planned or done in the year one visit, spread over
the year's remaining working days (CAL-01) and handed round-robin to the operations staff.
Running it again adds nothing. A visit is done with its report (ORG-03: history kept).
"""

from collections import defaultdict
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError
from crm_project.notifications.messages import Lines, Message
from crm_project.notifications.services import notify
from crm_project.workdays.calendar import working_days_between

from ..models import TenantVisit, VisitOutcome
from ..permissions import is_desk_staff
from ..permissions_visits import can_plan_visits
from ..selectors import operations_manager
from ..selectors_visits import current_tenants, overdue_visits, visitors
from .common import require, save

# Serialises two plan runs (the button and a retried job) so a tenant never gets two visits.
PLAN_LOCK = 0x54454E08
REPORT_MAX = 5000
DIGEST_MAX_LINES = 50


def visit_plan_generate(*, actor: User | None = None, year: int | None = None, today: date | None = None) -> int:
    """TEN-08: one visit for every current tenant that has none planned or done in `year`,
    spread evenly over the year's remaining working days, the visitors taken in turn.
    Idempotent: returns how many visits were added, 0 when everyone has one."""
    if actor is not None:
        require(can_plan_visits(actor), _("Only operations staff plan tenant visits."))
    today = today or timezone.localdate()
    year = year or today.year
    if year < today.year:
        raise DomainError(_("The plan of a past year cannot be generated any more."), field="year")
    if year > today.year + 1:
        raise DomainError(_("Only this year's or next year's plan can be generated."), field="year")
    first = today if year == today.year else date(year, 1, 1)
    last = date(year, 12, 31)
    staff = list(visitors())
    if not staff:
        raise DomainError(_("There are no operations staff to assign the visits to."))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PLAN_LOCK])
        covered = TenantVisit.objects.filter(Q(planned_on__year=year) | Q(done_at__year=year)).values("tenant_id")
        missing = list(
            current_tenants().exclude(pk__in=covered).order_by("floor", "unit", "pk").values_list("pk", flat=True)
        )
        if not missing:
            return 0
        days = working_days_between(first, last) or [last]
        # Continue the turn where the last run stopped, so later tenants do not all go to the first visitor.
        turn = TenantVisit.objects.filter(planned_on__year=year, generated=True).count()
        count = len(missing)
        visits = [
            TenantVisit(
                tenant_id=tenant_id,
                planned_on=days[index * len(days) // count],
                visitor=staff[(turn + index) % len(staff)],
                generated=True,
            )
            for index, tenant_id in enumerate(missing)
        ]
        bulk_create_with_history(visits, TenantVisit, batch_size=1000, default_user=actor)
    return len(visits)


def tenant_visit_report(
    *, actor: User, visit: TenantVisit, report: str, outcome: str, done_at: datetime | None = None
) -> TenantVisit:
    """TEN-08: the visit report marks the visit done; a visit is reported once."""
    require(is_desk_staff(actor), _("Only operations staff report tenant visits."))
    report = (report or "").strip()
    if not report:
        raise DomainError(_("Write down what was discussed during the visit."), field="report")
    if len(report) > REPORT_MAX:
        raise DomainError(
            _("The report is too long: at most %(limit)s characters.") % {"limit": REPORT_MAX}, field="report"
        )
    if outcome not in VisitOutcome.values:
        raise DomainError(_("Choose the outcome of the visit."), field="outcome")
    now = timezone.now()
    if done_at is not None and timezone.is_naive(done_at):
        done_at = timezone.make_aware(done_at)
    if done_at is not None and done_at > now:
        raise DomainError(_("A visit cannot be reported before it took place."), field="done_at")
    with transaction.atomic():
        visit = TenantVisit.objects.select_for_update(of=("self",)).select_related("tenant").get(pk=visit.pk)
        if done_at is not None and timezone.localdate(done_at).year < visit.planned_on.year - 1:
            raise DomainError(_("This date is too long before the planned visit."), field="done_at")
        if visit.done_at is not None:
            raise DomainError(
                _("This visit was already reported on %(date)s.")
                % {"date": timezone.localdate(visit.done_at).isoformat()}
            )
        if visit.tenant.moved_out_at is not None:
            raise DomainError(_("This tenant has moved out."))
        visit.done_at, visit.report, visit.outcome, visit.reported_by = done_at or now, report, outcome, actor
        save(visit, actor, ["done_at", "report", "outcome", "reported_by"], _("Visit reported"))
    return visit


# --- the weekly digest (JOB-04) ---------------------------------------------------------------


def _lines(items: list) -> list:
    if len(items) <= DIGEST_MAX_LINES:
        return items
    more = len(items) - DIGEST_MAX_LINES
    return [*items[:DIGEST_MAX_LINES], Message(gettext_lazy("… and %(count)s more"), count=more)]


def _visit_line(visit: TenantVisit, today: date) -> Message:
    return Message(
        gettext_lazy("- %(date)s %(unit)s %(shop)s, %(days)s days overdue"),
        date=visit.planned_on.isoformat(),
        unit=visit.tenant.unit,
        shop=visit.tenant.shop_name,
        days=(today - visit.planned_on).days,
    )


def tenant_visit_digest_send(*, today: date) -> int:
    """JOB-04 for tenants: each visitor gets their overdue tenant visits, the operations manager
    (head of TENANT_DESK_DEPARTMENT) the team's; only to those with something to report, once
    per ISO week (JOB-09). Returns how many notifications were sent."""
    iso_year, iso_week, _weekday = today.isocalendar()
    week = f"{iso_year}-W{iso_week:02d}"
    by_visitor: dict[User, list[TenantVisit]] = defaultdict(list)
    for visit in (
        overdue_visits(TenantVisit.objects.all(), today)
        .select_related("tenant", "visitor")
        .order_by("planned_on", "tenant__unit", "pk")
    ):
        by_visitor[visit.visitor].append(visit)
    url = reverse("tenants:tenant_visit_list") + "?status=overdue"
    sent = 0
    for visitor, visits in sorted(by_visitor.items(), key=lambda item: item[0].pk):
        if not visitor.is_active:
            continue
        sent += (
            notify(
                recipient=visitor,
                key=f"tenant-visit-digest:{week}:{visitor.pk}",
                kind="tenant_visit_digest",
                title=gettext_lazy("Week %(week)s: %(count)s overdue tenant visits"),
                body=Lines([gettext_lazy("Overdue tenant visits:"), *_lines([_visit_line(v, today) for v in visits])]),
                params={"week": week, "count": len(visits)},
                url=url,
            )
            is not None
        )
    manager = operations_manager()
    team = {visitor: visits for visitor, visits in by_visitor.items() if manager is None or visitor.pk != manager.pk}
    if manager is not None and team:
        parts: list = [gettext_lazy("Overdue tenant visits of your team:")]
        for visitor, visits in sorted(team.items(), key=lambda item: item[0].display_name):
            parts += ["", f"{visitor.display_name} ({len(visits)}):"]
            parts += _lines([_visit_line(visit, today) for visit in visits])
        sent += (
            notify(
                recipient=manager,
                key=f"tenant-visit-digest-team:{week}:{manager.pk}",
                kind="tenant_visit_digest",
                title=gettext_lazy("Week %(week)s: %(count)s overdue tenant visits in your team"),
                body=Lines(parts),
                params={"week": week, "count": sum(len(visits) for visits in team.values())},
                url=url,
            )
            is not None
        )
    return sent
