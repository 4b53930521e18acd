"""Budgets and other expenses in the access registry (ORG-02, EXP-13, EXP-16, EXP-17).

Applicants see their own applications and claims; the direct superior sees those they approve;
the department head and the department's clerk, manager and director see their department's
(and its budgets); finance and management see all. A rapport-fee budget entry names the rep
whose fees were paid, so it follows the fee rule (EXP-13): outside its list, only the budget
line's total is shown."""

from django.db.models import Q, QuerySet

from crm_project.accounts import access
from crm_project.accounts.roles import Role

from .access_rules import fee_data_rule
from .models import (
    ApplicationApproval,
    Budget,
    BudgetAdjustment,
    BudgetEntry,
    BudgetEntryKind,
    ClaimReceipt,
    ExpenseApplication,
    ExpenseClaim,
)


def sees_all_expenses(user) -> bool:
    return access.sees_everything(user) or user.has_role(Role.FINANCE)


def oversees_department(user) -> bool:
    """The head, and the roles that see their department's records (ORG-02)."""
    return bool(user.department_id) and (user.sees_department or user.heads_a_department)


def _department_condition(user, department_path: str) -> Q:
    if oversees_department(user):
        return Q(**{department_path: user.department_id}) | Q(**{f"{department_path}__head": user})
    return Q(**{f"{department_path}__head": user})


def budget_rule(department_path: str):
    def rule(user, queryset: QuerySet) -> QuerySet:
        if sees_all_expenses(user):
            return queryset
        return queryset.filter(_department_condition(user, department_path))

    return rule


def application_rule(application_path: str):
    prefix = f"{application_path}__" if application_path else ""

    def rule(user, queryset: QuerySet) -> QuerySet:
        if sees_all_expenses(user):
            return queryset
        condition = Q(**{f"{prefix}applicant": user}) | Q(**{f"{prefix}superior": user})
        return queryset.filter(condition | _department_condition(user, f"{prefix}department"))

    return rule


def _budget_entries(user, queryset: QuerySet) -> QuerySet:
    lines = budget_rule("budget__department")(user, queryset)
    fee_people = fee_data_rule("person")(user, lines.filter(kind=BudgetEntryKind.RAPPORT_FEE))
    return lines.exclude(kind=BudgetEntryKind.RAPPORT_FEE) | fee_people


access.register(Budget, budget_rule("department"))
access.register(BudgetAdjustment, budget_rule("budget__department"))
access.register(BudgetEntry, _budget_entries)
access.register(ExpenseApplication, application_rule(""))
access.register(ApplicationApproval, application_rule("application"))
access.register(ExpenseClaim, application_rule("application"))
access.register(ClaimReceipt, application_rule("claim__application"))
