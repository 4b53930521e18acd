"""Tenant requests waiting for someone, on "My work" (DSH-02, TEN-02, TEN-03): the desk
(operations) sees today's open requests, breaches first; a department that handles requests
sees those assigned to it, breaches first. Imported from TenantsConfig.ready()."""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.navigation import WorkPanel, panels

from .access_rules import handling_department
from .models import OPEN_STATUSES
from .permissions import is_desk_staff
from .selectors import assigned_to_my_department, breached, desk_requests, request_visible_to

SHOWN = 8


def _rows(request) -> dict:
    rows = list(assigned_to_my_department(request.user)[: SHOWN + 1])
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN}


def desk_panel(request) -> dict:
    """The top of the desk page (TEN-02): the open requests, the breached ones first (the longest
    overdue first), then the nearest target; with how many are open, breached and logged today.
    Three queries whatever the number of requests."""
    user, now = request.user, timezone.now()
    rows = [(row, row.next_due_at - now if row.next_due_at else None) for row in desk_requests(user, now)[: SHOWN + 1]]
    counts = (
        request_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .aggregate(open=Count("pk"), breached=Count("pk", filter=breached(now)))
    )
    start_of_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    logged_today = request_visible_to(user).filter(logged_at__gte=start_of_today).count()
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN, "logged_today": logged_today, **counts}


def _handles_requests(user) -> bool:
    """The departments' staff who handle requests (no query to decide); the desk has its own
    card with every open request, those assigned to operations among them."""
    if not user.is_authenticated or handling_department(user) is None or is_desk_staff(user):
        return False
    return user.has_role(Role.OPERATIONS, Role.SPECIALIST, Role.CUSTOMER_SERVICE)


panels.add(
    WorkPanel(
        key="tenant_desk",
        title=_("Today's open tenant requests"),
        template="tenants/_panel_desk.html",
        context=desk_panel,
        order=44,
        visible=is_desk_staff,
    )
)
panels.add(
    WorkPanel(
        key="tenant_requests",
        title=_("Tenant requests assigned to my department"),
        template="tenants/_panel_requests.html",
        context=_rows,
        order=45,
        visible=_handles_requests,
    )
)
