"""Reads for the work queues beside the signer's queue: "waiting for my approval" — the
approvals that otherwise reach the sales manager and director only as inbox lines — and the
month's roster of a department's reps (DSH-02). Each loads in a fixed number of queries
whatever the number of rows, starting from the access registry (ORG-02, EXP-13). Who may
take a step is decided by the approval services' own predicates; nothing is re-implemented
here."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.access import is_read_only, visible_to
from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from customers.models import ContactChangeRequest
from customers.services.contact_changes import STEPS as CHANGE_STEPS

from .models import ConfidentialityException, Statement, StatementStatus
from .selectors import special_fee_visible_to, statement_visible_to
from .selectors_pages import with_totals
from .services.controls import STEP_ROLES as EXCEPTION_STEP_ROLES
from .services.controls import exception_next_step, may_take_exception_step
from .services.special_fees import STEPS as FEE_STEPS
from .services.special_fees import may_take_step
from .services.statements import deadlines_for

APPROVER_ROLES = (Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.FINANCE)
ROSTER_ROLES = (Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.FINANCE)

KIND_LABELS = {
    "special_fee": _("New-customer special fee 附表3"),
    "contact_change": _("Contact change 附表5"),
    "exception": _("Confidentiality exception"),
}
STEP_LABELS = {
    "manager": _("approve as sales manager"),
    "director": _("approve as sales director"),
    "finance": _("approve as finance"),
    "clerk": _("record as sales clerk"),
}


@dataclass
class Approval:
    """One item waiting for the user: what it is, who asked and when, the amount if any, and
    the page where it is approved (the approval itself stays on that page)."""

    kind: str
    step: str
    subject: str
    asked_by: User
    asked_at: datetime
    url: str
    amount: Decimal | None = None

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def step_label(self):
        return STEP_LABELS[self.step]


def may_see_approvals(user) -> bool:
    return user.is_superuser or user.has_role(*APPROVER_ROLES)


def _special_fees(user) -> list[Approval]:
    statuses = [step.from_status for step in FEE_STEPS if user.has_role(step.role)]
    if not statuses:
        return []
    applications = (
        special_fee_visible_to(user)
        .filter(status__in=statuses)
        .exclude(rep=user)
        .select_related("rep", "customer")
        .order_by("filed_on", "pk")
    )
    step_of = {step.from_status: step.name for step in FEE_STEPS}
    return [
        Approval(
            kind="special_fee",
            step=step_of[application.status],
            subject=f"{application.customer.name} ({application.customer.code})",
            asked_by=application.rep,
            asked_at=application.filed_on,
            amount=application.amount,
            url=reverse("expenses:special_fee_detail", args=[application.pk]),
        )
        for application in applications
        if may_take_step(user, application)
    ]


def _contact_changes(user) -> list[Approval]:
    steps = [step for step in CHANGE_STEPS.values() if step.allowed(user)]
    if not steps:
        return []
    requests = (
        visible_to(user, ContactChangeRequest.objects.all())
        .filter(status__in=[step.from_status for step in steps])
        .exclude(filed_by=user)
        .select_related("customer", "filed_by")
        .order_by("filed_at", "pk")
    )
    step_of = {step.from_status: step.name for step in steps}
    return [
        Approval(
            kind="contact_change",
            step=step_of[change.status],
            subject=f"{change.customer.name} ({change.customer.code})",
            asked_by=change.filed_by,
            asked_at=change.filed_at,
            url=reverse("customers:change_request_detail", args=[change.pk]),
        )
        for change in requests
    ]


def _exceptions(user) -> list[Approval]:
    if not user.has_role(*EXCEPTION_STEP_ROLES.values()):
        return []
    exceptions = (
        visible_to(user, ConfidentialityException.objects.all())
        .filter(rejected=False, archived_at__isnull=True, rep__department_id=user.department_id)
        .select_related("rep", "grantee", "requested_by")
        .order_by("requested_at", "pk")
    )
    url = reverse("expenses:controls") + "#exceptions"
    return [
        Approval(
            kind="exception",
            step=exception_next_step(exception),
            subject=_("%(grantee)s may see the fee data of %(rep)s until %(until)s")
            % {
                "grantee": exception.grantee.display_name,
                "rep": exception.rep.display_name,
                "until": f"{exception.valid_until:%Y-%m-%d}",
            },
            asked_by=exception.requested_by,
            asked_at=exception.requested_at,
            url=url,
        )
        for exception in exceptions
        if may_take_exception_step(user, exception)
    ]


def _moment(value) -> datetime:
    """A local, naive moment to sort dates (special fees are filed on a day) among datetimes."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)


def approvals_for(user) -> list[Approval]:
    """Everything the user may approve (or record) now, oldest first; three queries. Nothing
    for management, which changes nothing."""
    if not may_see_approvals(user) or is_read_only(user):
        return []
    items = _special_fees(user) + _contact_changes(user) + _exceptions(user)
    return sorted(items, key=lambda item: _moment(item.asked_at))


# --- the month's roster ----------------------------------------------------------------------

HANDED_IN = (StatementStatus.SUBMITTED, StatementStatus.CLERK_SIGNED, StatementStatus.MANAGER_SIGNED,
             StatementStatus.VALID)  # fmt: skip


@dataclass
class RosterRow:
    rep: User
    statement: Statement | None
    submission: str  # "open" (still due), "overdue" (not in, past due), "on_time", "late"
    review: str  # "open", "overdue" (not valid, past the review due), "on_time", "late"
    handed_in: bool


def may_see_roster(user) -> bool:
    return user.is_superuser or user.has_role(*ROSTER_ROLES)


def roster_reps(user) -> QuerySet[User]:
    """Active sales reps the user may see the statements of: their own department's (ORG-02);
    finance: every department's (it sees every fee record)."""
    reps = User.objects.filter(groups__name=Role.SALES_REP, is_active=True).select_related("department")
    if not (user.is_superuser or user.has_role(Role.FINANCE)):
        reps = reps.filter(department_id=user.department_id) if user.department_id else reps.none()
    return reps.distinct().order_by("department__code", "username")


def _submission(statement: Statement | None, due_at: datetime, now: datetime) -> str:
    if statement is not None and statement.first_submitted_at is not None:
        return "late" if statement.late else "on_time"
    return "overdue" if now > due_at else "open"


def _review(statement: Statement | None, review_due_at: datetime, now: datetime) -> str:
    if statement is not None and statement.status == StatementStatus.VALID:
        return "late" if statement.valid_at and statement.valid_at > review_due_at else "on_time"
    return "overdue" if now > review_due_at else "open"


def month_roster(user, month: date, *, now: datetime) -> tuple[list[RosterRow], datetime, datetime]:
    """Every rep the user may see, with `month`'s statement if there is one; two queries.
    Returns (rows, submission due, review due) — the 3rd and 8th working days (EXP-06/07)."""
    due_at, review_due_at = deadlines_for(month)
    reps = list(roster_reps(user))
    statements = {
        statement.rep_id: statement
        for statement in with_totals(statement_visible_to(user).filter(month=month, rep__in=[r.pk for r in reps]))
    }
    rows = [
        RosterRow(
            rep=rep,
            statement=statements.get(rep.pk),
            submission=_submission(statements.get(rep.pk), due_at, now),
            review=_review(statements.get(rep.pk), review_due_at, now),
            handed_in=rep.pk in statements and statements[rep.pk].status in HANDED_IN,
        )
        for rep in reps
    ]
    return rows, due_at, review_due_at
