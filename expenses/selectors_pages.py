"""Reads for the fee pages and forms: each loads what a page shows in a FIXED number of
queries whatever the number of customers, contacts and statements. Every function starts
from the access selectors (EXP-13) or from a statement already fetched through them."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from crm_project.accounts.roles import Role
from crm_project.workdays.calendar import add_months, local_zone, next_month

from .models import (
    Allocation,
    EntryKind,
    FeeStandard,
    PurchaseCorrection,
    ReviewEvent,
    Signature,
    SpecialFeeStatus,
    Statement,
    StatementLine,
    StatementStatus,
)
from .models.common import MONEY, ZERO
from .navigation import FEE_ROLES
from .selectors import ledger_entry_visible_to, special_fee_visible_to, statement_visible_to
from .services.review import signer_queue
from .services.statements import deadlines_for

SIGNER_ROLES = (Role.SALES_CLERK, Role.SALES_MANAGER, Role.FINANCE)


def previous_month(today: date | None = None) -> date:
    """The month a statement is filed for now: the one that ended last (EXP-06)."""
    return add_months((today or timezone.localdate()).replace(day=1), -1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[first moment, first moment of the next month) in local time (CAL-02)."""
    year, number = next_month(month.year, month.month)
    zone = local_zone()
    return (
        datetime(month.year, month.month, 1, tzinfo=zone),
        datetime(year, number, 1, tzinfo=zone),
    )


def may_see_fee_pages(user) -> bool:
    """The roles of EXP-13 (and superusers); others get no fee pages at all."""
    return user.is_superuser or user.has_role(*FEE_ROLES)


def is_signer(user) -> bool:
    return user.has_role(*SIGNER_ROLES)


# --- deadlines ---------------------------------------------------------------------------


@dataclass
class Deadline:
    """Where a statement stands against its due moment (EXP-06)."""

    due_at: datetime
    # "open" (due in …), "overdue" (not in, past due), "on_time", "late", or "returned" (back
    # with the rep: neither in nor on time, whatever its first submission was)
    state: str
    late_by: timedelta | None = None

    @property
    def is_open(self) -> bool:
        return self.state == "open"


def deadline_for(*, due_at: datetime, statement: Statement | None = None, now: datetime | None = None) -> Deadline:
    now = now or timezone.now()
    if statement is not None and statement.status == StatementStatus.RETURNED:
        return Deadline(due_at, "returned", statement.late_by if statement.late else None)
    if statement is not None and statement.first_submitted_at is not None:
        if statement.late:
            return Deadline(due_at, "late", statement.late_by)
        return Deadline(due_at, "on_time")
    if now <= due_at:
        return Deadline(due_at, "open")
    return Deadline(due_at, "overdue", now - due_at)


def upcoming_deadline(month: date) -> Deadline:
    """The due moment of `month`'s statement that does not exist yet."""
    due_at, _review_due_at = deadlines_for(month)
    return deadline_for(due_at=due_at)


# --- statements -------------------------------------------------------------------------

_MONEY_FIELD = DecimalField(**MONEY)


def _line_sum(field_name: str) -> Coalesce:
    lines = (
        StatementLine.objects.filter(statement=OuterRef("pk"))
        .order_by()
        .values("statement")
        .annotate(total=Sum(field_name))
        .values("total")
    )
    return Coalesce(Subquery(lines, output_field=_MONEY_FIELD), Value(ZERO), output_field=_MONEY_FIELD)


def with_totals(queryset: QuerySet[Statement]) -> QuerySet[Statement]:
    """Each statement's total fee and payable, summed in SQL (one query for a whole list)."""
    return queryset.annotate(total_fee=_line_sum("fee"), total_payable=_line_sum("payable")).select_related(
        "rep", "rep__department"
    )


def statement_list_for(user) -> QuerySet[Statement]:
    return with_totals(statement_visible_to(user))


def _customer_count() -> Coalesce:
    customers = (
        StatementLine.objects.filter(statement=OuterRef("pk"))
        .order_by()
        .values("statement")
        .annotate(count=Count("customer", distinct=True))
        .values("count")
    )
    return Coalesce(Subquery(customers, output_field=IntegerField()), Value(0))


def queue_for(user) -> QuerySet[Statement]:
    """What waits for the user's signature (EXP-07), oldest first, within what they may see;
    each with its totals and its number of customers, in the one query of the list."""
    return with_totals(signer_queue(user).filter(pk__in=statement_visible_to(user).values("pk"))).annotate(
        customer_count=_customer_count()
    )


def rep_statements(user) -> QuerySet[Statement]:
    return with_totals(statement_visible_to(user).filter(rep=user)).order_by("-month")


@dataclass
class CustomerBlock:
    customer: object
    lines: list = field(default_factory=list)


@dataclass
class StatementPage:
    """Everything the statement page and the 附表1/附表2 forms show."""

    statement: Statement
    customers: list[CustomerBlock]
    lines: list[StatementLine]
    total_fee: Decimal
    total_payable: Decimal
    total_allocated: Decimal
    signatures: dict[str, Signature]
    events: list[ReviewEvent]
    special_fees: list
    special_fee_total: Decimal
    corrections: list = field(default_factory=list)
    corrected_since: int = 0


def statement_page(statement: Statement, *, user) -> StatementPage:
    """Eight queries whatever the number of lines and contacts: lines with customer and
    product, their allocations with contacts, this round's signatures, the review history,
    the month's approved special fees, the late corrections of earlier months it carries and
    the number of corrections its own purchases received since it froze them (EXP-04)."""
    lines = list(
        statement.lines.select_related("customer", "product").prefetch_related(
            Prefetch("allocations", queryset=Allocation.objects.select_related("contact"))
        )
    )
    blocks: list[CustomerBlock] = []
    for line in lines:
        line.carry_over = line.purchase_month != statement.month
        line.allocation_list = list(line.allocations.all())
        if not blocks or blocks[-1].customer.pk != line.customer_id:
            blocks.append(CustomerBlock(customer=line.customer))
        blocks[-1].lines.append(line)
    signatures = {
        signature.role: signature
        for signature in Signature.objects.filter(statement=statement, cycle=statement.cycle).select_related("user")
    }
    events = list(ReviewEvent.objects.filter(statement=statement).select_related("user").order_by("pk"))
    special_fees = list(special_fees_for(statement, user=user))
    return StatementPage(
        statement=statement,
        customers=blocks,
        lines=lines,
        total_fee=sum((line.fee for line in lines), ZERO),
        total_payable=sum((line.payable for line in lines), ZERO),
        total_allocated=sum((a.amount for line in lines for a in line.allocation_list), ZERO),
        signatures=signatures,
        events=events,
        special_fees=special_fees,
        special_fee_total=sum((fee.amount for fee in special_fees), ZERO),
        corrections=list(
            statement.late_corrections.filter(applied_at__isnull=True)
            .select_related("purchase__customer", "purchase__product", "made_by", "frozen_by")
            .order_by("purchase__month", "purchase__customer__name", "made_at", "pk")
        ),
        corrected_since=PurchaseCorrection.objects.filter(frozen_by=statement, applied_at__isnull=True).count(),
    )


def special_fees_for(statement: Statement, *, user) -> QuerySet:
    """附表2: the rep's new-customer special fees approved by finance in the statement's
    month (approved or already paid) (EXP-06, EXP-09)."""
    start, end = month_bounds(statement.month)
    return (
        special_fee_visible_to(user)
        .filter(
            rep_id=statement.rep_id,
            status__in=[SpecialFeeStatus.APPROVED, SpecialFeeStatus.PAID],
            finance_at__gte=start,
            finance_at__lt=end,
        )
        .select_related("customer")
        .order_by("finance_at", "pk")
    )


def submitted_in_round(statement: Statement) -> bool:
    """The rep's own "signature": handed in, and not returned since."""
    return statement.submitted_at is not None and statement.status not in (
        StatementStatus.DRAFT,
        StatementStatus.RETURNED,
    )


# --- standards and ledger ----------------------------------------------------------------


def standards_by_product(products: QuerySet) -> list:
    """Products with all their standards (newest first) and tiers, in three queries; each
    standard is marked past / in force / scheduled for this month (EXP-02)."""
    this_month = timezone.localdate().replace(day=1)
    products = list(
        products.prefetch_related(
            Prefetch(
                "fee_standards",
                queryset=FeeStandard.objects.select_related("created_by")
                .prefetch_related("tiers")
                .order_by("-valid_from"),
            )
        )
    )
    for product in products:
        product.standard_list = list(product.fee_standards.all())
        in_force_found = False
        for standard in product.standard_list:
            if standard.valid_from > this_month:
                standard.state = "scheduled"
            elif not in_force_found:
                standard.state, in_force_found = "in_force", True
            else:
                standard.state = "past"
    return products


LEDGER_KINDS = [kind for kind, _label in EntryKind.choices]


def ledger_summary(entries: QuerySet, *, limit: int = 120) -> list[dict]:
    """Sums per account and month, one column per kind, computed in SQL (EXP-03)."""
    sums = {kind: Coalesce(Sum("amount", filter=Q(kind=kind)), Value(ZERO), output_field=_MONEY_FIELD)
            for kind in LEDGER_KINDS}  # fmt: skip
    rows = (
        entries.order_by()
        .values("account_id", "account__name", "month")
        .annotate(**sums, total=Sum("amount"))
        .order_by("-month", "account__name")[:limit]
    )
    return [{**row, "amounts": [row[kind] for kind in LEDGER_KINDS]} for row in rows]


def ledger_for(user) -> QuerySet:
    return ledger_entry_visible_to(user).select_related(
        "account", "rep", "customer", "contact", "posted_by", "statement"
    )


def queue_count(user) -> int:
    if not is_signer(user):
        return 0
    return signer_queue(user).filter(pk__in=statement_visible_to(user).values("pk")).order_by().count()
