"""Who may do what with tenant meetings (TEN-05) and the fee schedule (TEN-10): operations
writes, management reads (sees_whole_desk), nobody else opens the pages."""

from .access_rules import sees_whole_desk
from .permissions import is_desk_staff


def opens_meeting_pages(user) -> bool:
    return bool(user.is_authenticated and user.is_active and sees_whole_desk(user))


def can_run_meetings(user) -> bool:
    """Operations organises the meetings, keeps the minutes and logs the suggestions."""
    return is_desk_staff(user)


def can_edit_fees(user) -> bool:
    return is_desk_staff(user)
