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
