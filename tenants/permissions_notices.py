"""Who may do what with an outgoing notice 对外发文 (TEN-06). Services enforce these; templates
use them to show or hide a step's button. Management reads everything and writes one thing
only: the seal approval (crm_project.accounts.access.may_approve_as_management)."""

from crm_project.accounts.access import is_read_only, may_approve_as_management

from .models import Notice, NoticeStatus
from .permissions import is_desk_staff, opens_desk_pages


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def opens_notice_pages(user) -> bool:
    """The desk, management, and the departments' staff who work with tenants (the rows are
    still scoped by the access registry). Decided without a query."""
    return opens_desk_pages(user)


def keeps_templates(user) -> bool:
    """Operations keeps the unified templates."""
    return is_desk_staff(user)


def can_draft(user, department=None) -> bool:
    """Operations drafts for any department; a department's own staff draft for it."""
    if not _active(user) or is_read_only(user):
        return False
    if is_desk_staff(user):
        return True
    if not opens_desk_pages(user) or user.department_id is None:
        return False
    return department is None or department.pk == user.department_id


def is_department_leader(user, notice: Notice) -> bool:
    department = notice.department
    return bool(department.head_id and department.head_id == user.pk)


def can_approve(user, notice: Notice) -> bool:
    """The leader of the department concerned (its head) approves the draft."""
    if not _active(user) or is_read_only(user):
        return False
    return user.is_superuser or is_department_leader(user, notice)


def can_approve_seal(user, notice: Notice) -> bool:
    return _active(user) and may_approve_as_management(user, "notice_seal")


def can_seal(user, notice: Notice | None = None) -> bool:
    """The seal is put on at the GM office by the operations staff who keep it."""
    return is_desk_staff(user)


def can_deliver(user, notice: Notice | None = None) -> bool:
    return is_desk_staff(user)


def can_record_receipt(user, notice: Notice | None = None) -> bool:
    return is_desk_staff(user)


STEP_PERMISSIONS = {
    NoticeStatus.DRAFT: ("approve", can_approve),
    NoticeStatus.APPROVED: ("approve-seal", can_approve_seal),
    NoticeStatus.SEAL_APPROVED: ("seal", can_seal),
    NoticeStatus.SEALED: ("deliver", can_deliver),
}


def next_step_for(user, notice: Notice) -> str | None:
    """The step this user may take on the notice now, if any."""
    step = STEP_PERMISSIONS.get(notice.status)
    if step is None:
        return None
    name, allowed = step
    return name if allowed(user, notice) else None
