"""The customers app on "My work" (DSH-02) and in the navigation: a rep's overdue and coming
visits and due follow-ups; a sales manager's or director's overdue visits of their reps
(CUS-09, JOB-04). Imported from CustomersConfig.ready()."""

from datetime import timedelta

from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.access import visible_to
from crm_project.accounts.roles import Role
from crm_project.core.navigation import NavItem, WorkPanel, nav, panels, roles

from .models import Interaction, VisitStatus
from .permissions import SALES_ROLES
from .selectors import visit_visible_to
from .services.interactions import follow_ups_due
from .services.visits import overdue_visits

SHOWN = 8


def _rows(queryset) -> dict:
    rows = list(queryset[: SHOWN + 1])
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN, "today": timezone.localdate()}


def my_overdue_visits(request) -> dict:
    visits = overdue_visits(visit_visible_to(request.user).filter(owner=request.user))
    return _rows(visits.select_related("customer").order_by("planned_date", "pk"))


def my_visits_this_week(request) -> dict:
    today = timezone.localdate()
    visits = visit_visible_to(request.user).filter(
        owner=request.user,
        status=VisitStatus.PLANNED,
        planned_date__gte=today,
        planned_date__lte=today + timedelta(days=6),
        customer__archived_at__isnull=True,
    )
    return _rows(visits.select_related("customer").order_by("planned_date", "pk"))


def my_follow_ups(request) -> dict:
    today = timezone.localdate()
    interactions = visible_to(request.user, Interaction).filter(customer__owner=request.user)
    due = follow_ups_due(interactions, until=today + timedelta(days=6))
    return _rows(due.select_related("customer", "contact").order_by("follow_up_date", "pk"))


def team_overdue_visits(request) -> dict:
    by_rep = (
        overdue_visits(visit_visible_to(request.user))
        .values("owner_id", "owner__username", "owner__first_name", "owner__last_name")
        .annotate(count=Count("id"), oldest=Min("planned_date"))
        .order_by("-count", "owner__username")
    )
    rows = [
        {
            "owner_id": row["owner_id"],
            "name": f"{row['owner__last_name']}{row['owner__first_name']}".strip() or row["owner__username"],
            "count": row["count"],
            "oldest": row["oldest"],
        }
        for row in by_rep
    ]
    return {"rows": rows, "total": sum(row["count"] for row in rows), "today": timezone.localdate()}


nav.add(
    NavItem(
        key="visits",
        label=_("Visits"),
        url_name="customers:visit_list",
        icon="calendar-check",
        order=14,
        visible=roles(*SALES_ROLES, Role.MANAGEMENT),
        parent="customers",
    )
)
nav.add(
    NavItem(
        key="interactions",
        label=_("Interactions"),
        url_name="customers:interaction_list",
        icon="chat-left-text",
        order=15,
        visible=roles(*SALES_ROLES, Role.MANAGEMENT),
        parent="customers",
    )
)
panels.add(
    WorkPanel(
        key="my_overdue_visits",
        title=_("My overdue visits"),
        template="customers/_panel_overdue_visits.html",
        context=my_overdue_visits,
        order=20,
        visible=roles(Role.SALES_REP),
    )
)
panels.add(
    WorkPanel(
        key="my_visits_this_week",
        title=_("Visits due this week"),
        template="customers/_panel_visits_week.html",
        context=my_visits_this_week,
        order=21,
        visible=roles(Role.SALES_REP),
    )
)
panels.add(
    WorkPanel(
        key="my_follow_ups",
        title=_("Follow-ups due"),
        template="customers/_panel_follow_ups.html",
        context=my_follow_ups,
        order=22,
        visible=roles(Role.SALES_REP),
    )
)
panels.add(
    WorkPanel(
        key="team_overdue_visits",
        title=_("Overdue visits of my reps"),
        template="customers/_panel_team_visits.html",
        context=team_overdue_visits,
        order=20,
        visible=roles(Role.SALES_MANAGER, Role.SALES_DIRECTOR),
    )
)
