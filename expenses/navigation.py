from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.navigation import NavItem, nav, roles

FEE_ROLES = (Role.SALES_REP, Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.FINANCE)

nav.add(
    NavItem(
        key="fees",
        label=_("Rapport fees"),
        url_name="expenses:home",
        icon="cash-coin",
        order=20,
        visible=roles(*FEE_ROLES),
    )
)
