"""Reads for the deadline jobs (JOB-01 … JOB-03): who is still open on a deadline. A job
acts for the system, not for a user, so these are not scoped by the access registry; each
reminder names only the recipient's own work."""

from datetime import date

from django.db.models import QuerySet

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role

from .models import SignoffSheet, Statement, StatementStatus
from .services.review import NEXT_SIGNATURE

SUBMITTED_STATUSES = [
    status for status in StatementStatus if status not in (StatementStatus.DRAFT, StatementStatus.RETURNED)
]


def active_with_role(role: Role) -> QuerySet[User]:
    return User.objects.filter(groups__name=role, is_active=True).distinct()


def active_users(ids) -> QuerySet[User]:
    return User.objects.filter(pk__in=list(ids), is_active=True).order_by("pk")


def reps_yet_to_submit(month: date) -> QuerySet[User]:
    """Active sales reps with no statement for `month` handed in: none yet, a draft, or one
    returned to them (JOB-01)."""
    handed_in = Statement.objects.filter(month=month, status__in=SUBMITTED_STATUSES).values("rep_id")
    return active_with_role(Role.SALES_REP).exclude(pk__in=handed_in).order_by("pk")


def statements_waiting_for_signature() -> QuerySet[Statement]:
    """Handed-in statements whose review round still misses a signature (JOB-02)."""
    return (
        Statement.objects.filter(status__in=list(NEXT_SIGNATURE)).select_related("rep").order_by("submitted_at", "pk")
    )


def directors_of(department_id: int | None) -> QuerySet[User]:
    return active_with_role(Role.SALES_DIRECTOR).filter(department_id=department_id).order_by("pk")


def payout_recipients(work: list) -> dict[int, list]:
    """Who is to act on each open payout item (`services.signoff.PayoutWork`, steps "payout"
    and "sheets"): the payers of the statement's open sheets — after a reassignment (EXP-14)
    that is the rep who took over — or the statement's rep while no sheet is drawn up.
    Returns {user id: [work items]}, one query."""
    statement_ids = {item.statement_id for item in work}
    payers: dict[int, set[int]] = {}
    rows = (
        SignoffSheet.objects.filter(statement_id__in=statement_ids, written_off_at__isnull=True)
        .values_list("statement_id", "payer_id")
        .distinct()
    )
    for statement_id, payer_id in rows:
        payers.setdefault(statement_id, set()).add(payer_id)
    by_person: dict[int, list] = {}
    for item in work:
        for person_id in payers.get(item.statement_id) or {item.rep_id}:
            by_person.setdefault(person_id, []).append(item)
    return by_person
