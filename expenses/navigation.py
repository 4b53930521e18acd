"""The "Rapport fees" menu (DSH-02): the fee home and, under it, every fee page a role may
open — the rep their statements, advances, sign-off sheets and special fees; the signers
their queue; the manager and director also the controls; finance its own page. Each entry is
shown only to the roles whose pages answer 200 (tests/expenses/test_navigation.py)."""

from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.navigation import NavItem, nav, roles

FEE_ROLES = (Role.SALES_REP, Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.FINANCE)
REP = Role.SALES_REP
CLERK = Role.SALES_CLERK
MANAGER = Role.SALES_MANAGER
DIRECTOR = Role.SALES_DIRECTOR
FINANCE = Role.FINANCE

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

# (key, label, url name, icon, order, roles).
FEE_MENU = [
    ("fees-queue", _("Waiting for my signature"), "expenses:queue", "pen", 21, (CLERK, MANAGER, FINANCE)),
    ("fees-approvals", _("Waiting for my approval"), "expenses:approvals", "check2-square", 22,
     (CLERK, MANAGER, DIRECTOR, FINANCE)),
    ("fees-statements", _("Monthly statements"), "expenses:statement_list", "receipt", 23, FEE_ROLES),
    ("fees-roster", _("The month's roster"), "expenses:roster", "people", 24, (CLERK, MANAGER, DIRECTOR, FINANCE)),
    ("fees-advances", _("Advances"), "expenses:advance_list", "wallet2", 25, (REP, MANAGER, DIRECTOR, FINANCE)),
    ("fees-sheets", _("Sign-off sheets"), "expenses:signoff_list", "pencil-square", 26,
     (REP, MANAGER, DIRECTOR, FINANCE)),
    ("fees-special", _("Special fees"), "expenses:special_fee_list", "stars", 27, (REP, MANAGER, DIRECTOR, FINANCE)),
    ("fees-finance", _("Finance desk"), "expenses:finance", "bank", 28, (FINANCE,)),
    ("fees-controls", _("Controls"), "expenses:controls", "shield-check", 30, (CLERK, MANAGER, DIRECTOR, FINANCE)),
    ("fees-standards", _("Fee standards"), "expenses:standard_list", "table", 32, FEE_ROLES),
    ("fees-ledger", _("Ledger"), "expenses:ledger", "journal-text", 33, FEE_ROLES),
]  # fmt: skip

for key, label, url_name, icon, order, wanted in FEE_MENU:
    nav.add(
        NavItem(key=key, label=label, url_name=url_name, icon=icon, order=order, visible=roles(*wanted), parent="fees")
    )
