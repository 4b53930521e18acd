"""Visit plans 拜访计划 and visit reports 拜访报告 (CUS-09), and the weekly digest of overdue
visits and coming birthdays (JOB-04, CUS-11).

The system plans visits from the grade frequencies in `CustomerSettings` (A monthly, B every
two months, C quarterly, D twice a year); a rep may plan more by hand. A visit is completed
only with its report; a cancelled visit keeps its reason in the audit history (ORG-03).
"""

import calendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from crm_project.accounts.access import is_read_only
from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.messages import Lines, Message
from crm_project.notifications.services import notify
from crm_project.workdays.calendar import add_months

from ..models import Contact, Customer, CustomerSettings, CustomerStatus, Visit, VisitStatus
from ..permissions import SALES_ROLES, can_edit_customer

# Customers the system plans visits for: those we sell to or hope to.
PLANNED_FOR_STATUSES = (CustomerStatus.ACTIVE, CustomerStatus.POTENTIAL)
GENERATE_CHUNK = 2000
# Serialises concurrent generator runs (a retried job next to a late one) so a window is
# never filled twice. Any constant unique to this purpose will do.
GENERATE_LOCK = 0x43555309
DIGEST_MAX_LINES = 50


# --- who may do what -------------------------------------------------------------------------


def can_plan_visit(user, customer: Customer) -> bool:
    return can_edit_customer(user, customer)


def can_act_on_visit(user, visit: Visit) -> bool:
    """The visitor, or whoever may work on the customer; never management alone."""
    if is_read_only(user):
        return False
    return user.is_superuser or visit.owner_id == user.pk or can_edit_customer(user, visit.customer)


# --- reads ---------------------------------------------------------------------------------


def overdue_visits(queryset: QuerySet[Visit], today: date | None = None) -> QuerySet[Visit]:
    """Planned visits whose date has passed, on customers that are not archived (CUS-09)."""
    today = today or timezone.localdate()
    return queryset.filter(status=VisitStatus.PLANNED, planned_date__lt=today, customer__archived_at__isnull=True)


# --- generating the plan ---------------------------------------------------------------------


def _due_dates(*, last_completed: date | None, months: int, today: date, until: date, taken: list[date]) -> list[date]:
    """The dates to add for one customer. The first visit is due `months` after the last
    completed one (or today, if never visited), never in the past. A date whose window
    (± one interval) already holds a planned or cancelled visit is not added: the schedule
    continues from that visit instead, so running again never adds anything."""
    due = max(add_months(last_completed, months) if last_completed else today, today)
    taken = list(taken)
    result: list[date] = []
    while due <= until:
        low, high = add_months(due, -months), add_months(due, months)
        near = [day for day in taken if low < day < high]
        if near:
            due = max(add_months(max(near), months), due + timedelta(days=1))
            continue
        result.append(due)
        taken.append(due)
        due = add_months(due, months)
    return result


def _generate_chunk(customer_ids: list[int], *, today: date, until: date, settings_row: CustomerSettings) -> int:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [GENERATE_LOCK])
        rows = list(
            Customer.objects.filter(pk__in=customer_ids, status__in=PLANNED_FOR_STATUSES, archived_at__isnull=True)
            .annotate(last_completed=Max("visits__completed_at", filter=Q(visits__status=VisitStatus.COMPLETED)))
            .values_list("pk", "grade", "owner_id", "last_completed")
        )
        longest = max(max(settings_row.visit_months(grade), 1) for grade in "ABCD")
        taken: dict[int, list[date]] = defaultdict(list)
        for customer_id, planned_date in Visit.objects.filter(
            customer_id__in=customer_ids,
            status__in=[VisitStatus.PLANNED, VisitStatus.CANCELLED],
            planned_date__gt=add_months(today, -longest),
        ).values_list("customer_id", "planned_date"):
            taken[customer_id].append(planned_date)
        new_visits = []
        for customer_id, grade, owner_id, last_completed in rows:
            for planned_date in _due_dates(
                last_completed=timezone.localdate(last_completed) if last_completed else None,
                months=max(settings_row.visit_months(grade), 1),
                today=today,
                until=until,
                taken=taken[customer_id],
            ):
                new_visits.append(
                    Visit(customer_id=customer_id, owner_id=owner_id, planned_date=planned_date, generated=True)
                )
        if new_visits:
            bulk_create_with_history(new_visits, Visit, batch_size=1000)
    return len(new_visits)


def visit_plan_generate(
    *, customer_ids: Iterable[int] | None = None, today: date | None = None, horizon_months: int = 3
) -> int:
    """Plan visits up to `horizon_months` ahead for active and potential customers that are
    not archived, by their grade's frequency (CUS-09). Idempotent: returns how many visits
    were added, 0 on a second run."""
    today = today or timezone.localdate()
    until = add_months(today, horizon_months)
    settings_row = CustomerSettings.load()
    customers = Customer.objects.filter(status__in=PLANNED_FOR_STATUSES, archived_at__isnull=True)
    if customer_ids is not None:
        customers = customers.filter(pk__in=list(customer_ids))
    ids = list(customers.order_by("pk").values_list("pk", flat=True))
    created = 0
    for start in range(0, len(ids), GENERATE_CHUNK):
        created += _generate_chunk(
            ids[start : start + GENERATE_CHUNK], today=today, until=until, settings_row=settings_row
        )
    return created


# --- one visit -----------------------------------------------------------------------------


def _check_visitor(*, customer: Customer, owner: User | None) -> User:
    if owner is None or owner.pk == customer.owner_id:
        return customer.owner
    if not owner.is_active or not owner.has_role(*SALES_ROLES):
        raise DomainError(_("The visitor must be an active member of the sales department."), field="owner")
    if owner.department_id != customer.owner.department_id:
        raise DomainError(_("The visitor must belong to the customer owner's department."), field="owner")
    return owner


def visit_plan_manual(
    *, actor: User, customer: Customer, planned_date: date, owner: User | None = None, purpose: str = ""
) -> Visit:
    """Plan a visit by hand (CUS-09): on a visible, non-archived customer, not in the past,
    and not twice on the same day."""
    if is_read_only(actor):
        raise PermissionDenied(_("Management can read visit plans but not change them."))
    if not can_plan_visit(actor, customer):
        if customer.is_archived:
            raise DomainError(_("This customer is archived; restore it before planning a visit."))
        raise PermissionDenied(_("You may not plan visits for this customer."))
    if planned_date is None:
        raise DomainError(_("Choose the day of the visit."), field="planned_date")
    if planned_date < timezone.localdate():
        raise DomainError(
            _(
                "A visit cannot be planned in the past. To record a visit that took place, "
                "plan it for today and complete it with its report."
            ),
            field="planned_date",
        )
    visitor = _check_visitor(customer=customer, owner=owner)
    with transaction.atomic():
        Customer.objects.select_for_update().filter(pk=customer.pk).first()
        if Visit.objects.filter(customer=customer, status=VisitStatus.PLANNED, planned_date=planned_date).exists():
            raise DomainError(
                _("A visit to this customer is already planned on %(date)s.") % {"date": planned_date.isoformat()},
                field="planned_date",
            )
        return Visit.objects.create(
            customer=customer, owner=visitor, planned_date=planned_date, purpose=(purpose or "").strip()
        )


def _locked_visit(visit: Visit, actor: User) -> Visit:
    visit = Visit.objects.select_for_update(of=("self",)).select_related("customer").get(pk=visit.pk)
    if is_read_only(actor):
        raise PermissionDenied(_("Management can read visits but not change them."))
    if not can_act_on_visit(actor, visit):
        raise PermissionDenied(_("Only the visitor or the customer's sales team may change this visit."))
    if visit.status == VisitStatus.COMPLETED:
        raise DomainError(
            _("This visit was already completed on %(date)s.")
            % {"date": timezone.localdate(visit.completed_at).isoformat()}
        )
    if visit.status == VisitStatus.CANCELLED:
        raise DomainError(_("This visit was cancelled. Plan a new one instead."))
    return visit


def visit_complete(
    *,
    actor: User,
    visit: Visit,
    purpose: str,
    people_met: str,
    findings: str,
    needs: str,
    next_actions: str,
    completed_at: datetime | None = None,
) -> Visit:
    """Complete a planned visit with its visit report 拜访报告 (CUS-09). There is no completed
    visit without a report: the purpose and the findings are required."""
    purpose, findings = (purpose or "").strip(), (findings or "").strip()
    with transaction.atomic():
        visit = _locked_visit(visit, actor)
        if not purpose:
            raise DomainError(
                _("A visit is completed with its report: state the purpose of the visit."), field="purpose"
            )
        if not findings:
            raise DomainError(_("A visit is completed with its report: write down what you found."), field="findings")
        now = timezone.now()
        if completed_at is not None and timezone.is_naive(completed_at):
            completed_at = timezone.make_aware(completed_at)
        if completed_at is not None and timezone.localdate(completed_at) > timezone.localdate(now):
            raise DomainError(_("A visit cannot be completed in the future."), field="completed_at")
        visit.status = VisitStatus.COMPLETED
        visit.completed_at = completed_at or now
        visit.purpose = purpose
        visit.people_met = (people_met or "").strip()
        visit.findings = findings
        visit.needs = (needs or "").strip()
        visit.next_actions = (next_actions or "").strip()
        visit.save(
            update_fields=["status", "completed_at", "purpose", "people_met", "findings", "needs", "next_actions"]
        )
    return visit


def visit_cancel(*, actor: User, visit: Visit, reason: str) -> Visit:
    """Cancel a planned visit, with a reason kept in its history. The plan generator does not
    put it back: the next visit follows the usual interval."""
    reason = (reason or "").strip()
    with transaction.atomic():
        visit = _locked_visit(visit, actor)
        if not reason:
            raise DomainError(_("Say why the visit is cancelled."), field="reason")
        visit.status = VisitStatus.CANCELLED
        visit._change_reason = reason[:100]
        visit.save(update_fields=["status"])
    return visit


# --- the weekly digest (JOB-04, CUS-11) --------------------------------------------------------


def birthdays_between(queryset: QuerySet[Contact], first: date, days: int = 7) -> list[tuple[date, Contact]]:
    """Contacts whose birthday (month and day, any year) falls in the `days` from `first`,
    with the date it falls on; across the new year too. A 29 February birthday counts on
    28 February in other years."""
    on: dict[tuple[int, int], date] = {}
    for offset in range(days):
        day = first + timedelta(days=offset)
        on[(day.month, day.day)] = day
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            on[(2, 29)] = day
    condition = Q()
    for month, day in on:
        condition |= Q(birthday__month=month, birthday__day=day)
    contacts = queryset.filter(condition, birthday__isnull=False, active=True, customer__archived_at__isnull=True)
    found = [(on[(c.birthday.month, c.birthday.day)], c) for c in contacts.select_related("customer")]
    return sorted(found, key=lambda pair: (pair[0], pair[1].customer.name, pair[1].name))


# The digest's lines are kept as message ids with their parameters, so the inbox and the
# e-mail show them in the reader's language at the time they read it (JOB-10).


def _lines(items: list) -> list:
    if len(items) <= DIGEST_MAX_LINES:
        return items
    more = len(items) - DIGEST_MAX_LINES
    return [*items[:DIGEST_MAX_LINES], Message(gettext_lazy("… and %(count)s more"), count=more)]


def _visit_line(visit: Visit, today: date) -> Message:
    return Message(
        gettext_lazy("- %(date)s %(customer)s (%(code)s), %(days)s days overdue"),
        date=visit.planned_date.isoformat(),
        customer=visit.customer.name,
        code=visit.customer.code,
        days=(today - visit.planned_date).days,
    )


def _owner_digest(visits: list[Visit], birthdays: list[tuple[date, Contact]], today: date) -> Lines:
    parts: list = []
    if visits:
        parts.append(gettext_lazy("Overdue visits:"))
        parts += _lines([_visit_line(visit, today) for visit in visits])
    if birthdays:
        if parts:
            parts.append("")
        parts.append(gettext_lazy("Birthdays in the coming week:"))
        parts += _lines(
            [
                Message(
                    gettext_lazy("- %(date)s %(name)s (%(customer)s)"),
                    date=day.strftime("%m-%d"),
                    name=contact.name,
                    customer=contact.customer.name,
                )
                for day, contact in birthdays
            ]
        )
    return Lines(parts)


def _team_digest(by_rep: dict[User, list[Visit]], today: date) -> Lines:
    parts: list = [gettext_lazy("Overdue visits of your team:")]
    for rep, visits in sorted(by_rep.items(), key=lambda item: item[0].display_name):
        parts.append("")
        parts.append(f"{rep.display_name} ({len(visits)}):")
        parts += _lines([_visit_line(visit, today) for visit in visits])
    return Lines(parts)


def visit_digest_send(*, today: date) -> int:
    """The weekly digest (JOB-04): to each owner, their overdue visits and the coming week's
    contact birthdays (CUS-11); to the sales managers of their department, the overdue
    visits of their reps. Only to people with something to report, once per ISO week
    (JOB-09). Returns how many notifications were sent."""
    iso_year, iso_week, _weekday = today.isocalendar()
    week = f"{iso_year}-W{iso_week:02d}"
    overdue: dict[User, list[Visit]] = defaultdict(list)
    for visit in (
        overdue_visits(Visit.objects.all(), today).select_related("customer", "owner").order_by("planned_date", "pk")
    ):
        if visit.owner.is_active:
            overdue[visit.owner].append(visit)
    birthdays: dict[User, list[tuple[date, Contact]]] = defaultdict(list)
    contacts = Contact.objects.select_related("customer__owner")
    for day, contact in birthdays_between(contacts, today):
        if contact.customer.owner.is_active:
            birthdays[contact.customer.owner].append((day, contact))
    visits_url = reverse("customers:visit_list") + "?overdue=on"
    sent = 0
    for user in sorted(set(overdue) | set(birthdays), key=lambda u: u.pk):
        sent += (
            notify(
                recipient=user,
                key=f"visit-digest:{week}:{user.pk}",
                kind="visit_digest",
                title=gettext_lazy("Week %(week)s: %(overdue)s overdue visits, %(birthdays)s birthdays"),
                body=_owner_digest(overdue.get(user, []), birthdays.get(user, []), today),
                params={
                    "week": week,
                    "overdue": len(overdue.get(user, [])),
                    "birthdays": len(birthdays.get(user, [])),
                },
                url=visits_url,
            )
            is not None
        )
    managers: dict[int, list[User]] = defaultdict(list)
    for manager in User.objects.filter(groups__name=Role.SALES_MANAGER, is_active=True).distinct():
        managers[manager.department_id].append(manager)
    teams: dict[User, dict[User, list[Visit]]] = defaultdict(dict)
    for rep, visits in overdue.items():
        if not visits:
            continue
        for manager in managers.get(rep.department_id, []):
            if manager.pk != rep.pk:
                teams[manager][rep] = visits
    for manager, by_rep in sorted(teams.items(), key=lambda item: item[0].pk):
        sent += (
            notify(
                recipient=manager,
                key=f"visit-digest-team:{week}:{manager.pk}",
                kind="visit_digest",
                title=gettext_lazy("Week %(week)s: %(count)s overdue visits in your team"),
                body=_team_digest(by_rep, today),
                params={"week": week, "count": sum(len(visits) for visits in by_rep.values())},
                url=visits_url,
            )
            is not None
        )
    return sent
