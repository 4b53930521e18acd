"""The complaints waiting for someone, on "My work" (DSH-02, CMP-04): customer service sees every
open complaint, a department (its head and staff) those assigned to it, management (read-only)
every open one as an overview; by time left to the target still running (the first response,
then the solution), overdue ones first. Imported from ComplaintsConfig.ready()."""

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.access import sees_everything
from crm_project.accounts.roles import Role
from crm_project.core.navigation import WorkPanel, panels

from .models import ComplaintStatus
from .permissions import heads_a_department, is_customer_service
from .selectors import complaint_visible_to, with_flags, with_time_left

SHOWN = 8


def open_complaints(request) -> dict:
    user, now = request.user, timezone.now()
    queryset = with_time_left(with_flags(complaint_visible_to(user), now)).exclude(status=ComplaintStatus.CLOSED)
    if not (is_customer_service(user) or sees_everything(user)):
        mine = Q(department__head=user)
        if user.department_id:
            mine |= Q(department_id=user.department_id)
        queryset = queryset.filter(mine)
    ordered = queryset.select_related("customer", "department").order_by(
        F("next_due_at").asc(nulls_last=True), "solution_due_at", "pk"
    )
    rows = list(ordered[: SHOWN + 1])
    for complaint in rows:
        complaint.time_left = complaint.next_due_at - now if complaint.next_due_at else None
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN, "now": now}


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
