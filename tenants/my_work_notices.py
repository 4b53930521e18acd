"""Outgoing notices waiting for my step, on "My work" (TEN-06, DSH-02): the department head sees
drafts to approve, management the seal approvals, operations the notices to seal or deliver.
Imported from TenantsConfig.ready()."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.access import is_read_only
from crm_project.core.navigation import WorkPanel, panels

from .models import NoticeStatus
from .permissions import is_desk_staff
from .permissions_notices import opens_notice_pages
from .selectors_notices import notice_visible_to

SHOWN = 8


def waiting_for(user):
    """The notices whose next step is this user's."""
    condition = Q(pk__in=[])
    if is_desk_staff(user):
        condition |= Q(status__in=[NoticeStatus.SEAL_APPROVED, NoticeStatus.SEALED])
    if user.is_management or user.is_superuser:
        condition |= Q(status=NoticeStatus.APPROVED)
    if not is_read_only(user):
        condition |= Q(status=NoticeStatus.DRAFT, department__head=user)
    return notice_visible_to(user).filter(condition).select_related("department").order_by("drafted_at", "pk")


def _rows(request) -> dict:
    rows = list(waiting_for(request.user)[: SHOWN + 1])
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN}


panels.add(
    WorkPanel(
        key="tenant_notices",
        title=_("Outgoing notices waiting for my step"),
        template="tenants/_panel_notices.html",
        context=_rows,
        order=46,
        visible=opens_notice_pages,
    )
)
