"""Customer grades A–D (CUS-03): the system proposes, a person decides, with a reason, and
every change is kept. A rep's decision waits for the manager (CUS-06)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.services import notify

from ..models import ZERO, CoreDataChange, Customer, CustomerSettings, Grade, GradeChange, Purchase
from ..permissions import can_bulk_regrade, can_edit_customer, can_set_grade, edits_need_review
from ..selectors import customer_visible_to

GRADE_FIELD = "grade"
ONE = Decimal(1)
DAYS_PER_YEAR = Decimal("365.25")

# --- complaints: the complaints app plugs in here --------------------------------------------

ComplaintCounter = Callable[[list[int], date], dict[int, int]]

# Each provider returns {customer_id: number of complaints since the date} for the ids it is
# given, in a fixed number of queries. The complaints app appends its counter in its
# AppConfig.ready(); until then every customer has none.
COMPLAINT_COUNT_PROVIDERS: list[ComplaintCounter] = []


def complaint_counts(customer_ids: list[int], since: date) -> dict[int, int]:
    counts = dict.fromkeys(customer_ids, 0)
    for provider in COMPLAINT_COUNT_PROVIDERS:
        for customer_id, count in provider(customer_ids, since).items():
            if customer_id in counts:
                counts[customer_id] += count
    return counts


# --- the proposal --------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """The proposed grade and what it was computed from (CUS-03)."""

    grade: str
    score: Decimal  # 0–100, one decimal
    net_sales: Decimal  # last 12 full months, after returns
    collection_rate: Decimal  # 0–1
    years: Decimal  # relationship age
    complaints: int
    # Each component's 0–1 part of the score, for showing how the score came about.
    amount_part: Decimal = ZERO
    age_part: Decimal = ZERO
    complaints_part: Decimal = ZERO

    @property
    def collection_percent(self) -> Decimal:
        return (self.collection_rate * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


def grading_window(today: date) -> tuple[date, date]:
    """The 12 full months before today's month: [start, end)."""
    end = today.replace(day=1)
    start = end.replace(year=end.year - 1)
    return start, end


def _years_between(first: date | None, today: date) -> Decimal:
    if first is None or first > today:
        return ZERO
    return (Decimal((today - first).days) / DAYS_PER_YEAR).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _grade_for(score: Decimal, settings_row: CustomerSettings) -> str:
    if score >= settings_row.threshold_a:
        return Grade.A.value
    if score >= settings_row.threshold_b:
        return Grade.B.value
    if score >= settings_row.threshold_c:
        return Grade.C.value
    return Grade.D.value


def _proposal(
    *, net: Decimal, collected: Decimal, years: Decimal, complaints: int, settings_row: CustomerSettings
) -> Proposal:
    rate = min(ONE, collected / net) if net > 0 else ZERO
    full_amount = settings_row.amount_for_full_score
    amount_part = min(ONE, net / full_amount) if full_amount > 0 else ONE
    full_years = settings_row.years_for_full_score
    age_part = min(ONE, years / full_years) if full_years > 0 else ONE
    zero_at = settings_row.complaints_for_zero_score
    complaints_part = max(ZERO, ONE - Decimal(complaints) / zero_at) if zero_at > 0 else ONE
    weights = (
        (settings_row.weight_amount, amount_part),
        (settings_row.weight_collection, rate),
        (settings_row.weight_age, age_part),
        (settings_row.weight_complaints, complaints_part),
    )
    total_weight = sum(weight for weight, _part in weights)
    raw = 100 * sum(weight * part for weight, part in weights) / total_weight if total_weight else ZERO
    score = Decimal(raw).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Proposal(
        grade=_grade_for(score, settings_row),
        score=score,
        net_sales=net,
        collection_rate=rate.quantize(Decimal("0.0001"), ROUND_HALF_UP),
        years=years,
        complaints=complaints,
        amount_part=amount_part,
        age_part=age_part,
        complaints_part=complaints_part,
    )


def grade_proposals(
    *,
    customers: QuerySet[Customer] | Iterable[Customer],
    today: date | None = None,
    settings_row: CustomerSettings | None = None,
) -> dict[int, Proposal]:
    """Proposals for many customers at once, in a fixed number of queries (CUS-03): the
    settings, the customers (unless already loaded), one purchase aggregate and the
    complaint providers."""
    today = today or timezone.localdate()
    settings_row = settings_row or CustomerSettings.load()
    if isinstance(customers, QuerySet):
        rows = list(customers.order_by().values_list("pk", "first_deal_date"))
    else:
        rows = [(customer.pk, customer.first_deal_date) for customer in customers]
    if not rows:
        return {}
    ids = [pk for pk, _first in rows]
    start, end = grading_window(today)
    sales = {
        row["customer_id"]: row
        for row in Purchase.objects.filter(customer_id__in=ids, month__gte=start, month__lt=end)
        .order_by()
        .values("customer_id")
        .annotate(net=Sum(F("amount") - F("returned_amount")), collected=Sum("collected_amount"))
    }
    complaints = complaint_counts(ids, start)
    proposals = {}
    for pk, first_deal_date in rows:
        row = sales.get(pk, {})
        proposals[pk] = _proposal(
            net=row.get("net") or ZERO,
            collected=row.get("collected") or ZERO,
            years=_years_between(first_deal_date, today),
            complaints=complaints.get(pk, 0),
            settings_row=settings_row,
        )
    return proposals


# --- setting the grade -------------------------------------------------------------------


def grade_apply(
    *, customer: Customer, grade: str, reason: str, actor: User, proposed: str | None = None, score=None
) -> GradeChange | None:
    """Set the grade and keep who/when/from/to/why (CUS-03). No change, no record.

    Without `proposed`, the system's proposal at this moment is recorded with the change
    (e.g. when the manager confirms a rep's pending grade change)."""
    if proposed is None:
        proposal = grade_proposals(customers=[customer])[customer.pk]
        proposed, score = proposal.grade, proposal.score
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if customer.grade == grade:
            return None
        change = GradeChange.objects.create(
            customer=customer,
            from_grade=customer.grade,
            to_grade=grade,
            proposed_grade=proposed,
            score=score,
            reason=reason,
            changed_by=actor,
        )
        customer.grade = grade
        customer.save(update_fields=["grade", "updated_at"])
    return change


def _notify_owner(*, actor: User, customer: Customer, change: GradeChange) -> None:
    if customer.owner_id == actor.pk:
        return
    owner = customer.owner
    transaction.on_commit(
        lambda: notify(
            recipient=owner,
            key=f"grade-change:{change.pk}",
            kind="customer-grade",
            title=gettext_lazy("%(customer)s is now grade %(grade)s"),
            body=gettext_lazy("%(actor)s changed the grade from %(old)s to %(grade)s: %(reason)s"),
            params={
                "customer": customer.name,
                "grade": change.to_grade,
                "old": change.from_grade,
                "actor": actor.display_name,
                "reason": change.reason,
            },
            url=f"/customers/{customer.pk}/",
        )
    )


def _check_grade(grade: str, reason: str) -> str:
    if grade not in Grade.values:
        raise DomainError(_("Choose a grade A, B, C or D."), field="grade")
    if not (reason or "").strip():
        raise DomainError(_("Say why the grade should change."), field="reason")
    return reason.strip()


def customer_set_grade(*, actor: User, customer: Customer, grade: str, reason: str) -> GradeChange | CoreDataChange:
    """A person sets the grade, with a reason (CUS-03). A rep's (or clerk's) change waits for
    the sales manager as a pending core-data change (CUS-06) and that is returned; a
    manager's, director's or administrator's applies at once and its GradeChange is returned."""
    if not (can_set_grade(actor) and can_edit_customer(actor, customer)):
        raise PermissionDenied(_("You may not change this customer's grade."))
    reason = _check_grade(grade, reason)
    if customer.grade == grade:
        raise DomainError(_("The customer already has grade %(grade)s.") % {"grade": grade}, field="grade")
    if edits_need_review(actor):
        from .core_changes import core_change_request

        return core_change_request(actor=actor, customer=customer, new_values={GRADE_FIELD: grade}, reason=reason)
    proposal = grade_proposals(customers=[customer])[customer.pk]
    change = grade_apply(
        customer=customer, grade=grade, reason=reason, actor=actor, proposed=proposal.grade, score=proposal.score
    )
    if change is None:  # another request set it in the meantime
        raise DomainError(_("The customer already has grade %(grade)s.") % {"grade": grade}, field="grade")
    _notify_owner(actor=actor, customer=customer, change=change)
    return change


def grade_bulk_apply(*, actor: User, decisions: list[tuple[int, str, str]]) -> list[GradeChange]:
    """A manager's reviewed re-grade of many customers (CUS-03): each decision is
    (customer id, grade, reason); all apply or none. Only customers visible to the manager
    and not archived; each change is kept in the grade history with the proposal."""
    if not can_bulk_regrade(actor):
        raise PermissionDenied(_("Only the sales manager or director may re-grade customers in bulk."))
    if not decisions:
        raise DomainError(_("Tick at least one customer to re-grade."))
    seen: set[int] = set()
    for customer_id, grade, reason in decisions:
        _check_grade(grade, reason)
        if customer_id in seen:
            raise DomainError(_("A customer appears twice in the re-grade."))
        seen.add(customer_id)
    with transaction.atomic():
        customers = {
            customer.pk: customer
            for customer in customer_visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("owner")
            .filter(pk__in=seen, archived_at__isnull=True)
        }
        if len(customers) != len(seen):
            raise DomainError(_("Some of these customers are not yours to re-grade, or are archived; nothing changed."))
        proposals = grade_proposals(customers=list(customers.values()))
        changes = []
        for customer_id, grade, reason in decisions:
            customer, proposal = customers[customer_id], proposals[customer_id]
            change = grade_apply(
                customer=customer,
                grade=grade,
                reason=reason.strip(),
                actor=actor,
                proposed=proposal.grade,
                score=proposal.score,
            )
            if change is not None:
                _notify_owner(actor=actor, customer=customer, change=change)
                changes.append(change)
    return changes
