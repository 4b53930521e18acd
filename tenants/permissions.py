"""Who may do what at the tenant service desk (TEN-01 … TEN-11). Services enforce these;
templates use them to show or hide a button. Management sees everything and changes nothing."""

from django.conf import settings

from crm_project.accounts.access import is_read_only
from crm_project.accounts.roles import Role


def is_desk_staff(user) -> bool:
    """Operations runs the desk: it logs, assigns and closes requests, keeps the archive and
    the storage log."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (user.has_role(Role.OPERATIONS) and not is_read_only(user))


def is_operations_manager(user) -> bool:
    department = user.department
    return bool(department and department.code == settings.TENANT_DESK_DEPARTMENT and department.head_id == user.pk)


def handles(user, request) -> bool:
    """A member of the department a request is assigned to works on it (respond, resolve,
    review its public reply)."""
    if not user.is_authenticated or not user.is_active or is_read_only(user):
        return False
    return bool(request.department_id and user.department_id == request.department_id)


def can_log(user) -> bool:
    return is_desk_staff(user)


def can_assign(user, request) -> bool:
    return is_desk_staff(user)


def can_work_on(user, request) -> bool:
    return is_desk_staff(user) or handles(user, request)


def can_confirm(user, request) -> bool:
    return is_desk_staff(user)


def can_review_reply(user, request) -> bool:
    """TEN-11: the department concerned reviews the public reply."""
    return handles(user, request) or (user.is_superuser and request.department_id is not None)


def can_keep_archive(user) -> bool:
    """The tenant archive, recordings and the storage log are the desk's."""
    return is_desk_staff(user)


def opens_desk_pages(user) -> bool:
    """Who opens the desk's pages at all (the rows in them are still scoped by the access
    registry): the desk, management, and the departments' staff who handle requests. Decided
    without a query, so the navigation costs no other page anything."""
    from .access_rules import handling_department, sees_whole_desk

    if not user.is_authenticated or not user.is_active:
        return False
    if sees_whole_desk(user):
        return True
    return handling_department(user) is not None and user.has_role(Role.SPECIALIST, Role.CUSTOMER_SERVICE)
