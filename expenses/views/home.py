"""The rapport-fee home (DSH-02): each role sees its own start — the rep their statements
and this month's deadline, the signers their queue — and a card for every fee page of the
"Rapport fees" menu the user may open (the same entries as the navigation)."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from crm_project.core.navigation import nav

from ..permissions import can_file_statement
from ..selectors_pages import (
    deadline_for,
    is_signer,
    may_see_fee_pages,
    previous_month,
    queue_count,
    rep_statements,
    upcoming_deadline,
)


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
    context["fee_pages"] = [item for item in nav.for_user(user) if item.parent == "fees"]
    return render(request, "expenses/home.html", context)


urlpatterns = [path("", home, name="home")]
