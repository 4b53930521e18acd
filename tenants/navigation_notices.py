"""Outgoing notices 对外发文 in the navigation (TEN-06): under the tenant desk for operations and
management; its own entry for the departments' staff who draft and approve notices."""

from django.utils.translation import gettext_lazy as _

from crm_project.core.navigation import NavItem, nav

from .access_rules import sees_whole_desk
from .permissions_notices import opens_notice_pages


def _desk(user) -> bool:
    return user.is_authenticated and sees_whole_desk(user)


def _department(user) -> bool:
    return opens_notice_pages(user) and not sees_whole_desk(user)


nav.add(
    NavItem(key="tenant-notices", label=_("Outgoing notices"), url_name="tenants:notice_list", icon="envelope-paper",
            order=66, visible=_desk, parent="tenants")
)  # fmt: skip
nav.add(
    NavItem(key="tenant-notices-department", label=_("Outgoing notices"), url_name="tenants:notice_list",
            icon="envelope-paper", order=62, visible=_department)
)  # fmt: skip
