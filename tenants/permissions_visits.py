"""Who may do what with tenant visits and bulk notices (TEN-08). Operations writes, management
reads, nobody else opens the pages."""

from .access_rules import sees_whole_desk
from .permissions import is_desk_staff


def opens_visit_pages(user) -> bool:
    """The desk and management; decided without a query."""
    return bool(user.is_authenticated and user.is_active and sees_whole_desk(user))


def can_plan_visits(user) -> bool:
    """The operations manager or any operations staff generates the year's plan."""
    return is_desk_staff(user)


def can_report_visit(user, visit) -> bool:
    """The visitor, or a colleague at the desk filing the report for them; once."""
    return is_desk_staff(user) and visit.done_at is None


def can_send_bulk_notices(user) -> bool:
    return is_desk_staff(user)
