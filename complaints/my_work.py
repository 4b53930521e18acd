"""The complaints waiting for someone, on "My work" (DSH-02): customer service sees every open
complaint, a department (its head and staff) those assigned to it, management (read-only) every
open one as an overview; soonest target first. Imported from ComplaintsConfig.ready()."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.access import sees_everything
from crm_project.accounts.roles import Role
from crm_project.core.navigation import WorkPanel, panels

from .models import ComplaintStatus
from .permissions import heads_a_department, is_customer_service
from .selectors import complaint_visible_to, with_flags

SHOWN = 8


def open_complaints(request) -> dict:
    user = request.user
    queryset = with_flags(complaint_visible_to(user)).exclude(status=ComplaintStatus.CLOSED)
    if not (is_customer_service(user) or sees_everything(user)):
        mine = Q(department__head=user)
        if user.department_id:
            mine |= Q(department_id=user.department_id)
        queryset = queryset.filter(mine)
    rows = list(queryset.select_related("customer", "department").order_by("solution_due_at", "pk")[: SHOWN + 1])
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN}


def _panel_visible(user) -> bool:
    return sees_everything(user) or user.has_role(Role.CUSTOMER_SERVICE, Role.SPECIALIST) or heads_a_department(user)


panels.add(
    WorkPanel(
        key="open_complaints",
        title=_("Open complaints"),
        template="complaints/_panel_open.html",
        context=open_complaints,
        order=30,
        visible=_panel_visible,
    )
)
