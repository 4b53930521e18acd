"""The suppliers entry in the navigation bar: whoever sees supplier files (ORG-02); finance gets
the payment terms of active suppliers instead."""

from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.navigation import NavItem, nav

from .access_rules import sees_supplier_files


def _finance_only(user) -> bool:
    return user.is_authenticated and user.has_role(Role.FINANCE) and not sees_supplier_files(user)


nav.add(
    NavItem(
        key="suppliers",
        label=_("Suppliers"),
        url_name="suppliers:supplier_list",
        icon="truck",
        order=55,
        visible=lambda user: user.is_authenticated and sees_supplier_files(user),
    )
)
nav.add(
    NavItem(
        key="supplier-payment-terms",
        label=_("Supplier payment terms"),
        url_name="suppliers:payment_terms",
        icon="truck",
        order=56,
        visible=_finance_only,
    )
)
