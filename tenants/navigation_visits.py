"""The visit plan and the bulk notices in the tenant desk's menu (TEN-08)."""

from django.utils.translation import gettext_lazy as _

from crm_project.core.navigation import NavItem, nav

from .permissions_visits import opens_visit_pages

for key, label, url_name, order in (
    ("tenant-visits", _("Visit plan"), "tenants:tenant_visit_list", 6),
    ("tenant-bulk-notices", _("Bulk notices"), "tenants:bulk_notice_list", 7),
):
    nav.add(
        NavItem(
            key=key, label=label, url_name=url_name, icon="shop", order=60 + order, visible=opens_visit_pages,
            parent="tenants",
        )
    )  # fmt: skip
