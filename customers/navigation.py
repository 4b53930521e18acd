from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.navigation import NavItem, nav, roles

from .permissions import SALES_ROLES

nav.add(
    NavItem(
        key="customers",
        label=_("Customers"),
        url_name="customers:customer_list",
        icon="buildings",
        order=10,
        visible=roles(*SALES_ROLES, Role.MANAGEMENT),
    )
)

nav.add(
    NavItem(
        key="purchases",
        label=_("Purchases"),
        url_name="customers:purchase_list",
        icon="cart",
        order=11,
        visible=roles(*SALES_ROLES, Role.MANAGEMENT),
        parent="customers",
    )
)
nav.add(
    NavItem(
        key="imports",
        label=_("Excel imports"),
        url_name="customers:import_list",
        icon="file-earmark-arrow-up",
        order=12,
        visible=roles(Role.SALES_REP, Role.SALES_CLERK, Role.SALES_MANAGER),
        parent="customers",
    )
)
nav.add(
    NavItem(
        key="change-requests",
        label=_("Contact change requests"),
        url_name="customers:change_request_list",
        icon="people",
        order=13,
        visible=roles(*SALES_ROLES),
        parent="customers",
    )
)
