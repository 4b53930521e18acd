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

# --- helper B: the approvals queue and the month's roster (DSH-02) -----------------------------
nav.add(
    NavItem(
        key="fees_approvals",
        label=_("Waiting for my approval"),
        url_name="expenses:approvals",
        icon="check2-square",
        order=22,
        visible=roles(Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.FINANCE),
        parent="fees",
    )
)
nav.add(
    NavItem(
        key="fees_roster",
        label=_("The month's roster"),
        url_name="expenses:roster",
        icon="people",
        order=23,
        visible=roles(Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.FINANCE),
        parent="fees",
    )
)
