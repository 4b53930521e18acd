"""The rapport-fee home (DSH-02): each role sees its own start — the rep their statements
and this month's deadline, the signers their queue, finance also standards and ledger."""

from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone

from crm_project.accounts.roles import Role

from ..permissions import can_file_statement, can_set_standards, is_finance
from ..selectors_pages import (
    deadline_for,
    is_signer,
    may_see_fee_pages,
    previous_month,
    queue_count,
    rep_statements,
    upcoming_deadline,
)


def _finance_url() -> str:
    try:
        return reverse("expenses:finance")
    except NoReverseMatch:
        return "/fees/finance/"


def home(request):
    user = request.user
    context: dict = {"may_see": may_see_fee_pages(user), "now": timezone.now()}
    if can_file_statement(user):
        month = previous_month()
        statements = list(rep_statements(user))
        current = next((s for s in statements if s.month == month), None)
        context.update(
            is_rep=True,
            statements=statements,
            month=month,
            current=current,
            current_deadline=deadline_for(due_at=current.due_at, statement=current) if current else None,
            upcoming=None if current else upcoming_deadline(month),
        )
    if is_signer(user):
        context.update(is_signer=True, queue_count=queue_count(user))
    if user.has_role(Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.FINANCE) or user.is_superuser:
        context["browses_statements"] = True
    if is_finance(user) or user.is_superuser:
        context.update(is_finance=True, finance_url=_finance_url())
    context["can_set_standards"] = can_set_standards(user)
    return render(request, "expenses/home.html", context)


urlpatterns = [path("", home, name="home")]
