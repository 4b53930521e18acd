"""The rapport-fee cards on "My work" (DSH-02): a rep sees this month's statement and its
countdown; the sales clerk, the sales manager and finance see what waits for their signature.
Imported from ExpensesConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.navigation import WorkPanel, panels

from .models import StatementStatus
from .selectors import statement_visible_to
from .selectors_pages import SIGNER_ROLES, deadline_for, previous_month, queue_for, upcoming_deadline
from .selectors_queues import approvals_for

OLDEST_SHOWN = 5


def _is_rep(user) -> bool:
    return user.has_role(Role.SALES_REP)


def _is_signer(user) -> bool:
    return user.has_role(*SIGNER_ROLES)


def statement_panel(request) -> dict:
    """This month's statement (the one for the month that just ended) and its deadline."""
    user = request.user
    month = previous_month()
    statement = statement_visible_to(user).filter(rep=user, month=month).first()
    returned = statement_visible_to(user).filter(rep=user, status=StatementStatus.RETURNED).exclude(month=month).count()
    return {
        "month": month,
        "statement": statement,
        "deadline": deadline_for(due_at=statement.due_at, statement=statement)
        if statement
        else upcoming_deadline(month),
        "other_returned": returned,
    }


def queue_panel(request) -> dict:
    queue = queue_for(request.user)
    return {"count": queue.order_by().count(), "oldest": list(queue.order_by("submitted_at", "pk")[:OLDEST_SHOWN])}


panels.add(
    WorkPanel(
        key="fees_statement",
        title=_("My rapport-fee statement"),
        template="expenses/_panel_statement.html",
        context=statement_panel,
        order=20,
        visible=_is_rep,
    )
)
panels.add(
    WorkPanel(
        key="fees_queue",
        title=_("Statements waiting for my signature"),
        template="expenses/_panel_queue.html",
        context=queue_panel,
        order=21,
        visible=_is_signer,
    )
)


# --- helper B: approvals waiting for this user (EXP-09, EXP-13, CUS-05) ------------------------


def approvals_panel(request) -> dict:
    items = approvals_for(request.user)
    return {"count": len(items), "oldest": items[:OLDEST_SHOWN]}


def _is_approver(user) -> bool:
    return user.has_role(Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.FINANCE)


panels.add(
    WorkPanel(
        key="fees_approvals",
        title=_("Waiting for my approval"),
        template="expenses/_panel_approvals.html",
        context=approvals_panel,
        order=22,
        visible=_is_approver,
    )
)
