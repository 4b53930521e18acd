"""Many purchase rows at once (CUS-10): the ERP's bulk upsert and the Excel import (CUS-12).

Rows are checked together against the database in a fixed number of queries and written
with bulk statements, their audit history and their loyalty points (CUS-13). The checks on
each row's figures, who may send them and what happens to a frozen month are those of
`purchase_save` (services/purchases.py): a row of a month already on a submitted or signed
statement is posted as a late correction and counts as updated.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError, PermissionDenied

from ..models import ZERO, Product, Purchase, PurchaseSource
from ..permissions import may_feed_purchases
from ..selectors import purchase_feed_customers
from .loyalty import loyalty_post_for_purchases
from .purchase_freeze import LateChange, freezer, lock_purchase_months
from .purchases import NUMBER_FIELDS, clean_code, clean_purchase_numbers, parse_month

MAX_BATCH_ROWS = 5000
# Serialises bulk upserts, so two identical ERP batches sent at once cannot both create.
_UPSERT_LOCK = 0x43555331


@dataclass
class RowError:
    index: int | None
    field: str | None
    message: str

    def as_dict(self) -> dict:
        return {"index": self.index, "field": self.field, "message": str(self.message)}


class PurchaseRowsRejected(DomainError):
    """Some rows are wrong; `errors` lists each with its index, field and reason."""

    def __init__(self, errors: list[RowError]):
        super().__init__(_("Some rows are wrong; nothing was saved."))
        self.errors = errors


@dataclass
class PlannedPurchase:
    """A checked row: what to write and the existing row it updates, if any."""

    index: int
    customer_id: int
    product_id: int
    month: date
    values: dict[str, Decimal]
    external_ref: str | None
    existing: Purchase | None = None
    # A frozen month: the row keeps its figures and the change becomes a late correction.
    frozen: bool = False
    # The figures in force when they differ from the row's (a frozen row corrected before).
    current: dict[str, Decimal] | None = None
    changes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.existing is not None:
            current = self.current or {name: getattr(self.existing, name) for name in NUMBER_FIELDS}
            self.changes = [name for name, value in self.values.items() if current[name] != value]
            if self.external_ref and self.existing.external_ref != self.external_ref:
                self.changes.append("external_ref")

    @property
    def figures_changed(self) -> bool:
        return any(name != "external_ref" for name in self.changes)


def purchase_rows_check(
    *, actor: User, rows: Sequence[tuple[int, object]], require_ref: bool
) -> tuple[list[PlannedPurchase], list[RowError]]:
    """Check rows {external_ref, customer, product, month, quantity, amount, returned_quantity,
    returned_amount, collected_amount} (customer and product by code) against the database,
    in a fixed number of queries. Nothing is written.

    A known external_ref updates its row, but cannot move it to another customer, product or
    month; a new external_ref for a (customer, product, month) recorded under another
    reference is an error; a row entered by hand or imported (no reference) is taken over.
    Customers are only those whose purchases the actor may feed (ORG-02, EXP-04): another
    department's code is unknown to a clerk, and a customer the actor owns is refused."""
    errors: list[RowError] = []
    parsed = []
    for index, raw in rows:
        if not isinstance(raw, Mapping):
            errors.append(RowError(index, None, _("A row must be an object with the purchase's fields.")))
            continue
        row_errors: list[RowError] = []
        ref = clean_code(raw.get("external_ref")) or None
        if ref is None and require_ref:
            row_errors.append(RowError(index, "external_ref", _("The external reference is missing.")))
        elif ref and len(ref) > 100:
            row_errors.append(
                RowError(index, "external_ref", _("The external reference is longer than 100 characters."))
            )
        customer_code, product_code = clean_code(raw.get("customer")), clean_code(raw.get("product"))
        if not customer_code:
            row_errors.append(RowError(index, "customer", _("The customer code is missing.")))
        if not product_code:
            row_errors.append(RowError(index, "product", _("The product code is missing.")))
        month = None
        try:
            month = parse_month(raw.get("month"))
        except DomainError as error:
            row_errors.append(RowError(index, "month", error.message))
        values, number_errors = clean_purchase_numbers(raw)
        row_errors += [RowError(index, error.field, error.message) for error in number_errors]
        errors += row_errors
        parsed.append((index, ref, customer_code, product_code, month, values, not row_errors))

    customers = {
        code: (pk, archived_at, owner_id)
        for code, pk, archived_at, owner_id in purchase_feed_customers(actor)
        .filter(code__in={row[2] for row in parsed if row[2]})
        .values_list("code", "pk", "archived_at", "owner_id")
    }
    products = dict(Product.objects.filter(code__in={row[3] for row in parsed if row[3]}).values_list("code", "pk"))
    refs = {row[1] for row in parsed if row[1]}
    by_ref = {purchase.external_ref: purchase for purchase in Purchase.objects.filter(external_ref__in=refs)}
    customer_ids = {pk for pk, _archived, _owner in customers.values()}
    by_key = {
        (purchase.customer_id, purchase.product_id, purchase.month): purchase
        for purchase in Purchase.objects.filter(
            customer_id__in=customer_ids,
            product_id__in=set(products.values()),
            month__in={row[4] for row in parsed if row[4]},
        )
    }

    planned: list[PlannedPurchase] = []
    seen_refs: dict[str, int] = {}
    seen_keys: dict[tuple, int] = {}
    for index, ref, customer_code, product_code, month, values, ok in parsed:
        row_errors: list[RowError] = []

        def flag(name: str, message: str, index=index, row_errors=row_errors) -> None:
            row_errors.append(RowError(index, name, message))

        customer_id = product_id = None
        if customer_code:
            if customer_code not in customers:
                flag("customer", _("Unknown customer “%(code)s”.") % {"code": customer_code})
            elif customers[customer_code][1] is not None:
                flag("customer", _("Customer %(code)s is archived.") % {"code": customer_code})
            elif customers[customer_code][2] == actor.pk:
                flag(
                    "customer",
                    _("You own customer %(code)s: its purchases come from the ERP, the sales clerk or finance.")
                    % {"code": customer_code},
                )
            else:
                customer_id = customers[customer_code][0]
        if product_code:
            product_id = products.get(product_code)
            if product_id is None:
                flag("product", _("Unknown product “%(code)s”.") % {"code": product_code})
        if ref and ref in seen_refs:
            flag("external_ref", _("%(ref)s is also on row %(other)s.") % {"ref": ref, "other": seen_refs[ref]})
        elif ref:
            seen_refs[ref] = index
        key = (customer_id, product_id, month)
        complete = bool(customer_id and product_id and month)
        if complete and key in seen_keys:
            flag("month", _("Same customer, product and month as row %(other)s.") % {"other": seen_keys[key]})
        elif complete:
            seen_keys[key] = index
        existing = None
        if ref and ref in by_ref:
            existing = by_ref[ref]
            if complete and (existing.customer_id, existing.product_id, existing.month) != key:
                flag(
                    "external_ref",
                    _("%(ref)s was recorded for another customer, product or month; a reference cannot move.")
                    % {"ref": ref},
                )
        elif key in by_key:
            existing = by_key[key]
            if ref and existing.external_ref:
                flag(
                    "external_ref",
                    _("This customer, product and month is already recorded under the reference %(other)s.")
                    % {"other": existing.external_ref},
                )
        errors += row_errors
        if ok and not row_errors:
            planned.append(PlannedPurchase(index, customer_id, product_id, month, values, ref, existing))
    errors.sort(key=lambda error: (error.index is None, error.index or 0))
    return _mark_frozen(planned), errors


def _mark_frozen(planned: list[PlannedPurchase]) -> list[PlannedPurchase]:
    """Flag the rows of frozen months and compare them with the figures in force (two queries)."""
    frozen = freezer().frozen({(plan.customer_id, plan.month) for plan in planned})
    if not frozen:
        return planned
    current = freezer().current_figures(
        plan.existing.pk for plan in planned if plan.existing and (plan.customer_id, plan.month) in frozen
    )
    return [
        PlannedPurchase(
            plan.index, plan.customer_id, plan.product_id, plan.month, plan.values, plan.external_ref, plan.existing,
            frozen=True, current=current.get(plan.existing.pk) if plan.existing else None,
        )
        if (plan.customer_id, plan.month) in frozen
        else plan
        for plan in planned
    ]  # fmt: skip


def purchase_rows_write(
    *,
    actor: User,
    planned: list[PlannedPurchase],
    source: str,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = 1000,
) -> dict[str, int]:
    """Write checked rows with bulk statements (and their audit history), then post their
    loyalty points; rows of frozen months become late corrections. Call inside a
    transaction that holds the freeze lock; returns {created, updated, unchanged}."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    now = timezone.now()
    for start in range(0, len(planned), chunk_size):
        chunk = planned[start : start + chunk_size]
        to_create, to_update, touched = [], [], []
        late: list[tuple[PlannedPurchase, Purchase]] = []
        for plan in chunk:
            if plan.existing is None:
                # A frozen month gets a row at zero (nothing was stated); the figures are the correction's.
                figures = {name: ZERO for name in NUMBER_FIELDS} if plan.frozen else plan.values
                purchase = Purchase(
                    customer_id=plan.customer_id, product_id=plan.product_id, month=plan.month,
                    external_ref=plan.external_ref, source=source, created_at=now, updated_at=now, **figures,
                )  # fmt: skip
                to_create.append(purchase)
                if plan.frozen:
                    late.append((plan, purchase))
            elif plan.frozen and plan.changes:
                purchase = plan.existing
                if plan.external_ref and purchase.external_ref != plan.external_ref:
                    purchase.external_ref, purchase.updated_at = plan.external_ref, now
                    to_update.append(purchase)
                if plan.figures_changed:
                    late.append((plan, purchase))
            elif plan.changes:
                purchase = plan.existing
                old_net = purchase.net_sales
                for name, value in plan.values.items():
                    setattr(purchase, name, value)
                if plan.external_ref:
                    purchase.external_ref = plan.external_ref
                purchase.updated_at = now
                to_update.append(purchase)
                if purchase.net_sales != old_net:
                    touched.append(purchase)
        if to_create:
            created = bulk_create_with_history(to_create, Purchase, batch_size=chunk_size, default_user=actor)
            touched += [purchase for purchase, plan in zip(created, _creating(chunk), strict=True) if not plan.frozen]
        if to_update:
            # A frozen row's figures are unchanged here, so writing them back is harmless.
            bulk_update_with_history(
                to_update, Purchase, fields=[*NUMBER_FIELDS, "external_ref", "updated_at"],
                batch_size=chunk_size, default_user=actor,
            )  # fmt: skip
        loyalty_post_for_purchases(purchases=touched, actor=actor)
        if late:
            freezer().post(
                actor=actor, changes=[LateChange(purchase, plan.values) for plan, purchase in late], source=source
            )
        updated = sum(1 for plan in chunk if plan.existing is not None and plan.changes)
        counts["created"] += len(to_create)
        counts["updated"] += updated
        counts["unchanged"] += len(chunk) - len(to_create) - updated
        if progress:
            progress(len(chunk))
    return counts


def _creating(chunk: list[PlannedPurchase]) -> list[PlannedPurchase]:
    return [plan for plan in chunk if plan.existing is None]


def purchases_bulk_upsert(*, actor: User, rows, source: str = PurchaseSource.API) -> dict[str, int]:
    """The ERP's upsert (CUS-10): all rows or none. Sending the same rows again creates
    nothing. Raises PurchaseRowsRejected with every bad row's index, field and reason.
    For the ERP integration, the sales clerk and finance only: a rep never feeds the
    figures of their own fees (EXP-04)."""
    if not may_feed_purchases(actor):
        raise PermissionDenied(_("Purchases are sent by the ERP integration, the sales clerk or finance."))
    if not isinstance(rows, list):
        raise PurchaseRowsRejected([RowError(None, None, _("Send a JSON list of purchase rows."))])
    if not rows:
        raise PurchaseRowsRejected([RowError(None, None, _("The list of rows is empty."))])
    if len(rows) > MAX_BATCH_ROWS:
        raise PurchaseRowsRejected(
            [RowError(None, None, _("Send at most %(max)s rows at a time.") % {"max": MAX_BATCH_ROWS})]
        )
    with transaction.atomic():
        lock_purchase_months()
        lock_purchase_upserts()
        planned, errors = purchase_rows_check(actor=actor, rows=list(enumerate(rows)), require_ref=True)
        if errors:
            raise PurchaseRowsRejected(errors)
        return purchase_rows_write(actor=actor, planned=planned, source=source)


def lock_purchase_upserts() -> None:
    """Take the bulk-upsert lock for the current transaction (the Excel import shares it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_UPSERT_LOCK])
