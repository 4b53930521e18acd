"""The "Expenses" 费用 menu (EXP-17, DSH-02): every staff user files applications and claims;
approvers see what waits for them, finance its queue; finance, management and the departments'
overseers the budgets (EXP-16)."""

from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.navigation import NavItem, everyone, nav, roles

from .access_rules_budgets import sees_all_expenses


def _budget_menu(user) -> bool:
    # From the roles alone, which every page has loaded: asking whether the user heads a
    # department would cost every page a query. A head opens the budgets from their pages' links.
    return user.is_superuser or sees_all_expenses(user) or user.sees_department


_staff = everyone


nav.add(NavItem(key="expenses", label=_("Expenses"), url_name="expenses:expense_application_list",
                icon="receipt-cutoff", order=40, visible=_staff))  # fmt: skip

EXPENSE_MENU = [
    ("expenses-applications", _("Expense applications"), "expenses:expense_application_list", "file-earmark-text",
     41, _staff),
    ("expenses-new", _("New expense application"), "expenses:expense_application_new", "plus-lg", 42, _staff),
    ("expenses-claims", _("Expense claims"), "expenses:expense_claim_list", "receipt", 43, _staff),
    ("expenses-approvals", _("Expenses waiting for my approval"), "expenses:expense_approvals", "check2-square", 44,
     _staff),
    ("expenses-finance", _("Expenses for finance"), "expenses:expense_finance_queue", "bank", 45,
     roles(Role.FINANCE)),
    ("expenses-budgets", _("Budgets"), "expenses:budget_list", "piggy-bank", 46, _budget_menu),
    ("expenses-report", _("Year-end budget report"), "expenses:budget_report", "bar-chart", 47, _budget_menu),
]  # fmt: skip

for key, label, url_name, icon, order, visible in EXPENSE_MENU:
    nav.add(NavItem(key=key, label=label, url_name=url_name, icon=icon, order=order, visible=visible,
                    parent="expenses"))  # fmt: skip
