"""Tenant requests waiting for someone, on "My work" (DSH-02): the requests assigned to my
department, breaches first. Imported from TenantsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.navigation import WorkPanel, panels

from .access_rules import handling_department
from .selectors import assigned_to_my_department

SHOWN = 8


def _rows(request) -> dict:
    rows = list(assigned_to_my_department(request.user)[: SHOWN + 1])
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN}


def _handles_requests(user) -> bool:
    """Operations and the departments' staff who handle requests (no query to decide)."""
    if not user.is_authenticated or handling_department(user) is None:
        return False
    return user.has_role(Role.OPERATIONS, Role.SPECIALIST, Role.CUSTOMER_SERVICE)


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
