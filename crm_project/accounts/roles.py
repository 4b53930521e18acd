"""The roles of DOMAIN §0, kept as auth groups (ORG-01).

A role's code is its group's name, so admins see and assign roles in the admin. Each app adds
the model permissions its roles need with `grant()` in its AppConfig.ready(); the groups and
their permissions are (re)synchronised after every migrate.
"""

from collections import defaultdict
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    SALES_REP = "sales_rep"
    SALES_CLERK = "sales_clerk"
    SALES_MANAGER = "sales_manager"
    SALES_DIRECTOR = "sales_director"
    FINANCE = "finance"
    OPERATIONS = "operations"
    PROCUREMENT = "procurement"
    PURCHASING_HEAD = "purchasing_head"
    SPECIALIST = "specialist"
    CUSTOMER_SERVICE = "customer_service"
    MANAGEMENT = "management"
    ADMINISTRATOR = "administrator"
    INTEGRATION = "integration"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.SALES_REP: _("Sales representative"),
    Role.SALES_CLERK: _("Sales clerk"),
    Role.SALES_MANAGER: _("Sales manager"),
    Role.SALES_DIRECTOR: _("Sales director"),
    Role.FINANCE: _("Finance clerk"),
    Role.OPERATIONS: _("Operations staff"),
    Role.PROCUREMENT: _("Procurement"),
    Role.PURCHASING_HEAD: _("Head of purchasing"),
    Role.SPECIALIST: _("Technical / design / quality / safety staff"),
    Role.CUSTOMER_SERVICE: _("Customer service"),
    Role.MANAGEMENT: _("General management"),
    Role.ADMINISTRATOR: _("Administrator"),
    Role.INTEGRATION: _("ERP integration"),
}

# Roles that see a whole department's records rather than only their own (ORG-02).
DEPARTMENT_SCOPE_ROLES = frozenset({Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR})

_ROLE_PERMISSIONS: dict[Role, set[str]] = defaultdict(set)
_ROLE_PERMISSIONS[Role.ADMINISTRATOR] |= {
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_user",
    "accounts.add_department",
    "accounts.change_department",
    "accounts.view_department",
    "auth.view_group",
    "auth.change_group",
    "workdays.add_calendarday",
    "workdays.change_calendarday",
    "workdays.view_calendarday",
    "workdays.view_calendaryear",
    "workdays.add_calendaryear",
    "workdays.change_calendaryear",
    "django_celery_beat.view_periodictask",
    "django_celery_beat.change_periodictask",
}


def grant(role: Role, *permissions: str) -> None:
    """Give `role` the model permissions `app_label.codename`; applied after migrate."""
    _ROLE_PERMISSIONS[role].update(permissions)


def role_permissions(role: Role) -> frozenset[str]:
    return frozenset(_ROLE_PERMISSIONS[role])


def sync_role_groups(**kwargs) -> None:
    """Create one group per role and set exactly the permissions registered for it."""
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = set()
        for dotted in _ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".", 1)
            wanted |= set(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename).values_list(
                    "pk", flat=True
                )
            )
        group.permissions.set(wanted)
