"""Who may do what with complaints (CMP-01 … CMP-05). Services enforce these; templates use
them to show or hide buttons. Visibility itself is the access registry's (ORG-02): every
function here assumes the caller already checked the complaint is visible to the user."""

from crm_project.accounts.access import is_read_only
from crm_project.accounts.roles import Role

SALES_ROLES = (Role.SALES_REP, Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR)


def is_customer_service(user) -> bool:
    return user.is_superuser or user.has_role(Role.CUSTOMER_SERVICE)


def heads_a_department(user) -> bool:
    """Whether the user heads any department (the navigation asks on every page): the user's own
    cached answer, shared with every other app that asks."""
    return user.is_authenticated and user.heads_a_department


def _rep_only(user) -> bool:
    # A sales rep sees only their own customers (ORG-02), even when their department is the
    # one a complaint is assigned to; the department's clerk/manager/director handle it.
    return user.has_role(Role.SALES_REP) and not user.sees_department


def can_log_complaint(user, customer=None) -> bool:
    """CMP-01: customer service takes complaints in from any channel; sales logs one for a
    customer it can see (the caller checks the customer is visible)."""
    if is_read_only(user):
        return False
    if is_customer_service(user):
        return True
    return customer is not None and user.has_role(*SALES_ROLES)


def can_log_any_complaint(user) -> bool:
    """Whether to show the "new complaint" button at all."""
    return not is_read_only(user) and (is_customer_service(user) or user.has_role(*SALES_ROLES))


def can_assign(user) -> bool:
    """CMP-02: customer service assigns the responsible department."""
    return not is_read_only(user) and is_customer_service(user)


def can_match_customer(user) -> bool:
    return not is_read_only(user) and is_customer_service(user)


def is_department_handler(user, complaint) -> bool:
    """A member (not a rep on their own) or the head of the complaint's department."""
    department_id = complaint.department_id
    if not department_id:
        return False
    if complaint.department.head_id == user.pk:
        return True
    return user.department_id == department_id and not _rep_only(user)


def can_handle(user, complaint) -> bool:
    """CMP-03: customer service and the responsible department (members and head) move a
    complaint along; management only reads."""
    if is_read_only(user):
        return False
    return is_customer_service(user) or is_department_handler(user, complaint)


def can_view_report(user) -> bool:
    return user.is_superuser or user.has_role(Role.CUSTOMER_SERVICE, Role.MANAGEMENT) or heads_a_department(user)
