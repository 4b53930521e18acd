"""Tenant meetings (TEN-05) and the fee schedule (TEN-10) under the tenant desk in the navigation."""

from django.utils.translation import gettext_lazy as _

from crm_project.core.navigation import NavItem, nav

from .permissions_meetings import opens_meeting_pages

for key, label, url_name, order in (
    ("tenant-meetings", _("Tenant meetings"), "tenants:meeting_list", 6),
    ("tenant-fees", _("Fee schedule"), "tenants:fee_list", 7),
):
    nav.add(
        NavItem(
            key=key, label=label, url_name=url_name, icon="shop", order=60 + order, visible=opens_meeting_pages,
            parent="tenants",
        )
    )  # fmt: skip
