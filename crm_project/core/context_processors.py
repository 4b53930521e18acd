from django.conf import settings

from crm_project.accounts.roles import Role

from .navigation import nav


def shell(request) -> dict:
    """What the page frame needs: the navigation for this user, the unread count, the
    language switch and, for administrators, the calendar coverage warning (CAL-01)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"languages": settings.LANGUAGES}
    from crm_project.notifications.selectors import unread_count
    from crm_project.workdays.selectors import unconfirmed_years

    return {
        "languages": settings.LANGUAGES,
        "nav_tree": nav.tree_for(user),
        "unread_notifications": unread_count(user),
        "calendar_warning": unconfirmed_years() if user.is_superuser or user.has_role(Role.ADMINISTRATOR) else None,
    }
