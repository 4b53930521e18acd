"""The tenant desk in the navigation bar: operations and management see the whole desk; a
department that handles tenant requests gets the request log (its own requests)."""

from django.utils.translation import gettext_lazy as _

from crm_project.core.navigation import NavItem, nav

from .access_rules import sees_whole_desk
from .permissions import opens_desk_pages


def _desk(user) -> bool:
    return user.is_authenticated and sees_whole_desk(user)


def _handles_requests(user) -> bool:
    """The departments' staff who handle requests (engineering, safety …)."""
    return opens_desk_pages(user) and not sees_whole_desk(user)


nav.add(NavItem(key="tenants", label=_("Tenant desk"), url_name="tenants:desk", icon="shop", order=60, visible=_desk))
for key, label, url_name, order in (
    ("tenant-desk", _("Today's requests"), "tenants:desk", 1),
    ("tenant-requests", _("Request log"), "tenants:request_list", 2),
    ("tenant-archive", _("Tenant archive"), "tenants:tenant_list", 3),
    ("tenant-storage", _("Storage log"), "tenants:storage_list", 4),
    ("tenant-recordings", _("Recording archive"), "tenants:recording_archive", 5),
):
    nav.add(
        NavItem(key=key, label=label, url_name=url_name, icon="shop", order=60 + order, visible=_desk, parent="tenants")
    )
nav.add(
    NavItem(
        key="tenant-requests-handled",
        label=_("Tenant requests"),
        url_name="tenants:request_list",
        icon="shop",
        order=61,
        visible=_handles_requests,
    )
)
