from django.utils.translation import gettext_lazy as _

from crm_project.core.navigation import NavItem, nav


def register() -> None:
    nav.add(NavItem(key="calendar", label=_("Calendar"), url_name="workdays:month", icon="calendar3", order=90))
