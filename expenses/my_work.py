"""The rapport-fee cards on "My work" (DSH-02): a rep sees this month's statement and its
countdown in working days to the 3rd working day, and the open steps after their valid
statements (sign-off sheets, payouts, hand-in); the sales clerk, the sales manager and finance
see what waits for their signature, oldest first, with each statement's 8th-working-day
deadline. Imported from ExpensesConfig.ready()."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.navigation import WorkPanel, panels
from crm_project.workdays.calendar import working_days_between

from .models import StatementStatus
from .selectors import statement_visible_to
from .selectors_journey import rep_work_open, statement_journey
from .selectors_pages import SIGNER_ROLES, deadline_for, previous_month, queue_for, upcoming_deadline
from .selectors_queues import approvals_for

OLDEST_SHOWN = 5
# The statements whose fee steps the rep's card lists, oldest month first. Each costs the
# journey's fixed handful of queries, so the card's cost does not grow with the backlog; the
# rest are a link away.
FEE_STEP_STATEMENTS = 2
# The steps after a valid statement that are the rep's own (EXP-10, EXP-11).
REP_STEPS = ("advance", "sheets", "payout", "handed")


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
    deadline = deadline_for(due_at=statement.due_at, statement=statement) if statement else upcoming_deadline(month)
    return {
        "month": month,
        "statement": statement,
        "deadline": deadline,
        "working_days_left": working_days_left(deadline.due_at) if deadline.is_open else None,
        "other_returned": returned,
    }


def working_days_left(due_at) -> int:
    """EXP-06, DSH-02: the working days from today to the due day, both counted (the due moment
    is the end of its working day, so a due day not yet over is a day left)."""
    return len(working_days_between(timezone.localdate(), timezone.localdate(due_at)))


def fee_steps_panel(request) -> dict:
    """DSH-02, EXP-10, EXP-11: the rep's open steps on their valid statements not yet written
    off — sign-off sheets to draw up, payouts to record and have confirmed, sheets to hand to
    finance, the optional advance while payouts are open — with their deadlines, from the same
    journey the statement's page shows."""
    user, now = request.user, timezone.now()
    statements = list(
        rep_work_open(statement_visible_to(user).filter(rep=user))
        .select_related("rep", "archived_original_by", "archived_copy_by")
        .order_by("month", "pk")[: FEE_STEP_STATEMENTS + 1]
    )
    rows = []
    for statement in statements[:FEE_STEP_STATEMENTS]:
        steps = {step.key: step for step in statement_journey(statement, user=user, now=now)}
        payout_open = "payout" in steps and not steps["payout"].done
        open_steps = [
            steps[key]
            for key in REP_STEPS
            if key in steps and not steps[key].done and (key != "advance" or payout_open)
        ]
        if open_steps:
            rows.append({"statement": statement, "steps": open_steps})
    return {"rows": rows, "more": len(statements) > FEE_STEP_STATEMENTS, "now": now}


def queue_panel(request) -> dict:
    """EXP-07, DSH-02: what waits for the signer, oldest first, each with its review deadline
    (the end of the 8th working day, `review_due_at`)."""
    queue = queue_for(request.user)
    return {
        "count": queue.order_by().count(),
        "oldest": list(queue.order_by("submitted_at", "pk")[:OLDEST_SHOWN]),
        "now": timezone.now(),
    }


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
        key="fees_steps",
        title=_("My open fee steps"),
        template="expenses/_panel_fee_steps.html",
        context=fee_steps_panel,
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
