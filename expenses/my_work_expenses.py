"""The expense cards on "My work" (EXP-17, DSH-02): what waits for my approval as a superior,
department head or the general manager; my claims still to file with their deadlines; a
department head's budget this year; and finance's queue. Imported from ExpensesConfig.ready()."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.navigation import WorkPanel, everyone, panels, roles

from .selectors_budgets import budgets_for, this_year
from .selectors_expenses import (
    applications_to_claim,
    applications_to_record,
    applications_waiting_for,
    claims_to_accept,
    claims_waiting_for_head,
)

SHOWN = 5


def _oldest(applications, claims) -> dict:
    application_count, claim_count = applications.count(), claims.count()
    return {
        "count": application_count + claim_count,
        "applications": list(applications.prefetch_related(None)[:SHOWN]) if application_count else [],
        "claims": list(claims[:SHOWN]) if claim_count else [],
    }


def approvals_panel(request) -> dict | None:
    """Approving follows relations (the direct superior, the department's head), not roles, so
    the card shows only when something waits."""
    context = _oldest(applications_waiting_for(request.user), claims_waiting_for_head(request.user))
    return context if context["count"] else None


def claims_due_panel(request) -> dict | None:
    rows = list(applications_to_claim(request.user).prefetch_related(None)[: SHOWN + 1])
    if not rows:
        return None
    today = timezone.localdate()
    for application in rows:
        application.claim_overdue = today > application.claim_due_by and not application.late_claim_allowed_at
        application.event_ahead = application.event_date > today
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN}


def department_budget_panel(request) -> dict | None:
    """A department head's budget this year, line by line — their way to the budget pages,
    which the menu shows by role only (a head is a relation, and the menu asks no query)."""
    lines = list(
        budgets_for(request.user)
        .filter(department__head=request.user, year=this_year())
        .order_by("department__code", "category__order", "pk")
    )
    return {"lines": lines, "year": this_year()} if lines else None


def finance_panel(request) -> dict:
    return _oldest(applications_to_record(request.user), claims_to_accept(request.user))


panels.add(WorkPanel(key="expense_approvals", title=_("Expenses waiting for my approval"),
                     template="expenses/_panel_expense_approvals.html", context=approvals_panel, order=23,
                     visible=everyone))  # fmt: skip
panels.add(WorkPanel(key="expense_claims_due", title=_("Expense claims to file"),
                     template="expenses/_panel_expense_claims_due.html", context=claims_due_panel, order=24,
                     visible=everyone))  # fmt: skip
panels.add(WorkPanel(key="expense_finance", title=_("Expenses for finance"),
                     template="expenses/_panel_expense_finance.html", context=finance_panel, order=25,
                     visible=roles(Role.FINANCE)))  # fmt: skip
panels.add(WorkPanel(key="department_budget", title=_("My department's budget"),
                     template="expenses/_panel_department_budget.html", context=department_budget_panel, order=26,
                     visible=everyone))  # fmt: skip
