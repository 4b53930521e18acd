"""Monthly statements (EXP-04 … EXP-06): created by the rep for the previous month, pre-filled
from purchases, collections, the fee standards and the approved contacts' shares."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.table_statistics import analyze_if_grown
from crm_project.workdays.calendar import add_months, next_month, working_day_deadline
from customers.models import Contact, Customer, Purchase
from customers.services.purchase_freeze import lock_purchase_months

from ..models import (
    Allocation,
    FeeSettings,
    Investigation,
    InvestigationStatus,
    ReviewAction,
    ReviewEvent,
    Statement,
    StatementLine,
    StatementStatus,
)
from ..models.common import ZERO
from .corrections import FIGURES, corrections_attach, figures_of, standing_corrections
from .fees import entitled, fee_for, split
from .standards import StandardBook

# Earlier months whose fees may still become payable as money comes in (EXP-04).
CARRY_OVER_MONTHS = 12


def month_start(value: date) -> date:
    return value.replace(day=1)


def deadlines_for(month: date) -> tuple:
    """(due_at, review_due_at): the ends of the 3rd and 8th working days of the next month."""
    fee_settings = FeeSettings.load()
    year, number = next_month(month.year, month.month)
    return (
        working_day_deadline(year, number, fee_settings.submit_working_day),
        working_day_deadline(year, number, fee_settings.review_working_day),
    )


@dataclass
class LineDraft:
    customer_id: int
    product_id: int
    purchase_month: date
    standard_id: int | None
    net_quantity: Decimal
    net_sales: Decimal
    collected: Decimal
    fee_per_unit: Decimal
    fee: Decimal
    payable: Decimal
    blocked: bool
    note: str = ""


def compute_lines(*, rep: User, month: date, book: StandardBook, exclude_statement_id: int | None = None):
    """The lines of `rep`'s statement for `month`: this month's purchases, plus earlier
    months' fees that collections since have made payable (EXP-04). A fixed number of
    queries whatever the number of customers."""
    mode = FeeSettings.load().collection_mode
    customers = Customer.objects.filter(owner=rep)
    first = add_months(month, -CARRY_OVER_MONTHS)
    in_range = Purchase.objects.filter(customer__in=customers, month__gte=first, month__lte=month)
    # One row per customer, product and month; a frozen row corrected late counts with the
    # corrected figures, so the difference lands here as a carry-over (EXP-04, corrections.py).
    corrected = {pk: figures_of(correction) for pk, correction in standing_corrections(in_range).items()}
    purchases = []
    for row in in_range.values("pk", "customer_id", "product_id", "month", *FIGURES):
        row.update(corrected.get(row["pk"], {}))
        row["collected"] = row["collected_amount"]
        purchases.append(row)
    already = defaultdict(lambda: ZERO)
    previous_lines = StatementLine.objects.filter(
        customer__in=customers, purchase_month__gte=first, purchase_month__lte=month
    ).exclude(statement__month=month)
    if exclude_statement_id:
        previous_lines = previous_lines.exclude(statement_id=exclude_statement_id)
    for row in previous_lines.values("customer_id", "product_id", "purchase_month").annotate(paid=Sum("payable")):
        already[(row["customer_id"], row["product_id"], row["purchase_month"])] = row["paid"]
    blocked = set(
        Investigation.objects.filter(
            customer__in=customers, status__in=[InvestigationStatus.OPEN, InvestigationStatus.UNCLEAR]
        ).values_list("customer_id", flat=True)
    )
    lines = []
    for row in purchases:
        standard, tiers = book.for_month(row["product_id"], row["month"])
        net_quantity = row["quantity"] - row["returned_quantity"]
        net_sales = row["amount"] - row["returned_amount"]
        rate, fee = fee_for(tiers, net_quantity)
        due = entitled(fee=fee, net_sales=net_sales, collected=row["collected"], mode=mode)
        key = (row["customer_id"], row["product_id"], row["month"])
        payable = max(ZERO, due - already[key])
        if row["month"] != month and payable <= 0:
            continue  # an earlier month with nothing new to pay
        lines.append(
            LineDraft(
                customer_id=row["customer_id"], product_id=row["product_id"], purchase_month=row["month"],
                standard_id=standard.pk if standard else None, net_quantity=net_quantity, net_sales=net_sales,
                collected=row["collected"], fee_per_unit=rate, fee=fee, payable=payable,
                blocked=row["customer_id"] in blocked,
                note="" if standard else _("no fee standard for this product and month"),
            )
        )  # fmt: skip
    return lines


LINE_FIELDS = [name for name in LineDraft.__dataclass_fields__]


def _insert(model, fields: list[str], rows: list[tuple], returning: tuple[str, ...] = ()) -> list[tuple]:
    """INSERT … SELECT FROM unnest(one array per column): one statement and no model instances.
    The same rows bulk_create would write; bulk_create's per-value preparation was most of the
    time of generating a month's statements (bench/statements.py)."""
    if not rows:
        return []
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    arrays = [f"%s::{column.db_type(connection)}[]" for column in columns]
    # Table and column names come from the model's meta; every value is a parameter.
    names = ", ".join(column.column for column in columns)
    sql = f"INSERT INTO {meta.db_table} ({names}) SELECT * FROM unnest({', '.join(arrays)})"  # noqa: S608
    if returning:
        sql += f" RETURNING {', '.join(meta.get_field(name).column for name in returning)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(values) for values in zip(*rows, strict=True)])
        return cursor.fetchall() if returning else []


def _write_lines(statement: Statement, drafts: list[LineDraft], *, fresh: bool = False) -> None:
    if not fresh:
        statement.lines.all().delete()
    corrections_attach(statement)
    line_rows = [(statement.pk, *(getattr(draft, name) for name in LINE_FIELDS)) for draft in drafts]
    inserted = _insert(
        StatementLine, ["statement", *LINE_FIELDS], line_rows, returning=("id", "customer", "product", "purchase_month")
    )
    # (customer, product, purchase month) is unique on a statement: it names each new row's id.
    line_ids = {(customer_id, product_id, month): pk for pk, customer_id, product_id, month in inserted}
    receivers = defaultdict(list)
    for contact_id, customer_id, share in (
        Contact.objects.filter(
            customer_id__in={draft.customer_id for draft in drafts}, active=True, receives_fee=True, fee_share__gt=0
        )
        .order_by("created_at", "pk")
        .values_list("pk", "customer_id", "fee_share")
    ):
        receivers[customer_id].append((contact_id, share))
    allocation_rows = []
    for draft in drafts:
        contacts = receivers.get(draft.customer_id, [])
        if draft.payable <= 0 or not contacts:
            continue
        line_id = line_ids[(draft.customer_id, draft.product_id, draft.purchase_month)]
        share_of = dict(contacts)
        shares = [(contact_id, share, order) for order, (contact_id, share) in enumerate(contacts)]
        for contact_id, amount in split(draft.payable, shares):
            allocation_rows.append((line_id, contact_id, share_of[contact_id], amount))
    _insert(Allocation, ["line", "contact", "share", "amount"], allocation_rows)


def statement_create(*, actor: User, month: date, book: StandardBook | None = None) -> Statement:
    """A rep's statement for a past month, pre-filled (EXP-06). One per rep and month."""
    month = month_start(month)
    if not actor.has_role(Role.SALES_REP):
        raise PermissionDenied(_("Only sales representatives file monthly statements."))
    if month >= month_start(timezone.localdate()):
        raise DomainError(_("A statement is filed for a month that has ended."), field="month")
    due_at, review_due_at = deadlines_for(month)
    try:
        with transaction.atomic():
            statement = Statement.objects.create(rep=actor, month=month, due_at=due_at, review_due_at=review_due_at)
            _write_lines(statement, compute_lines(rep=actor, month=month, book=book or StandardBook()), fresh=True)
    except IntegrityError:
        raise DomainError(
            _("You already have a statement for %(month)s.") % {"month": f"{month:%Y-%m}"}, field="month"
        ) from None
    # The first days of a month add tens of thousands of lines to tables the planner may last
    # have seen nearly empty; the next rep's statement is planned from fresh statistics.
    analyze_if_grown(Statement, StatementLine, Allocation)
    return statement


def _editable(statement: Statement, actor: User) -> Statement:
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.rep_id != actor.pk:
        raise PermissionDenied(_("Only the rep who files a statement may change or submit it."))
    if not statement.is_editable:
        raise DomainError(_("This statement is under review or signed and can no longer be changed."))
    return statement


def statement_recalculate(*, actor: User, statement: Statement) -> Statement:
    """Fill the lines again from today's purchases, collections, standards and shares."""
    with transaction.atomic():
        statement = _editable(statement, actor)
        drafts = compute_lines(rep=statement.rep, month=statement.month, book=StandardBook(),
                               exclude_statement_id=statement.pk)  # fmt: skip
        _write_lines(statement, drafts)
    return statement


def statement_update_notes(*, actor: User, statement: Statement, notes: str) -> Statement:
    with transaction.atomic():
        statement = _editable(statement, actor)
        statement.notes = notes
        statement.save(update_fields=["notes"])
    return statement


def statement_submit(*, actor: User, statement: Statement) -> Statement:
    """Recalculate and hand in for review (EXP-06). After the end of the 3rd working day it is
    accepted but marked late, with how late (kept from the first submission)."""
    from .review import notify_next_signers

    with transaction.atomic():
        # Submitting freezes the statement's purchases: no purchase write may be half-way.
        lock_purchase_months(exclusive=True)
        statement = _editable(statement, actor)
        _write_lines(
            statement,
            compute_lines(
                rep=statement.rep, month=statement.month, book=StandardBook(), exclude_statement_id=statement.pk
            ),
        )
        unallocated = (
            statement.lines.filter(payable__gt=0, allocations__isnull=True, blocked=False)
            .select_related("customer")
            .first()
        )
        if unallocated:
            raise DomainError(
                _("%(customer)s has fees but no approved fee-receiving contact: file a change request (附表5) first.")
                % {"customer": unallocated.customer.name}
            )
        now = timezone.now()
        statement.status, statement.submitted_at = StatementStatus.SUBMITTED, now
        fields = ["status", "submitted_at"]
        if statement.first_submitted_at is None:
            statement.first_submitted_at = now
            statement.late = now > statement.due_at
            statement.late_by = now - statement.due_at if statement.late else None
            fields += ["first_submitted_at", "late", "late_by"]
        statement.save(update_fields=fields)
        ReviewEvent.objects.create(statement=statement, cycle=statement.cycle, action=ReviewAction.SUBMIT, user=actor)
        transaction.on_commit(lambda: notify_next_signers(statement.pk))
    return statement
