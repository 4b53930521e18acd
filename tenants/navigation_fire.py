"""The fire-safety inspection in the navigation bar (TEN-07): the fire team and management."""

from django.utils.translation import gettext_lazy as _

from crm_project.core.navigation import NavItem, nav

from .access_rules_fire import sees_fire_inspections

for key, label, url_name, order in (
    ("fire-safety", _("Fire-safety inspection"), "tenants:fire_progress", 7),
    ("fire-rectifications", _("Rectification letters"), "tenants:fire_rectification_list", 8),
):
    nav.add(
        NavItem(
            key=key,
            label=label,
            url_name=url_name,
            icon="fire",
            order=60 + order,
            visible=sees_fire_inspections,
            parent="tenants",
        )
    )
