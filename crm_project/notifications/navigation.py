from django.utils.translation import gettext_lazy as _

from crm_project.core.navigation import NavItem, WorkPanel, nav, panels


def _unread(request) -> dict:
    from .selectors import notification_visible_to

    return {"notifications": list(notification_visible_to(request.user).filter(read_at__isnull=True)[:5])}


def register() -> None:
    nav.add(NavItem(key="inbox", label=_("Inbox"), url_name="notifications:inbox", icon="bell", order=80))
    panels.add(
        WorkPanel(
            key="inbox",
            title=_("Unread notifications"),
            template="notifications/_panel.html",
            context=_unread,
            order=10,
        )
    )
