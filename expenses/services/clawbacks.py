"""Claw-backs for returned goods 追回 (EXP-12).

When a customer returns goods of a month whose fees were already paid (the purchase row's
returned quantity grew after the statement was signed — for a frozen month, its late
correction's, see corrections.py), finance claws back the fee paid for
the returned units, proportionally, as a negative CLAW_BACK ledger entry against the rep's
next statement.

The formula, per customer, product and purchase month ("key"):

    basis    = the net quantity the fee was last computed on (the key's line on the latest
               valid statement; earlier lines of the key were computed on the same or more)
    paid     = the payable fees of the key on all valid statements
    now      = the purchase row's net quantity today (quantity − returned quantity)
    due      = round_half_up(paid × (basis − now) ÷ basis)  − what was already clawed back

The fee per unit paid is kept as it was (no re-tiering): returning 3 of 12 units paid ¥108
claws back ¥27. Claw-backs are keyed by customer, product account and the purchase month (the
entry's "fee month"), so running it again only takes what new returns add. The entry is linked
to the rep's first statement after the statement the fee was paid on; when that statement does
not exist yet the entry has no statement and its note says which month it is to be deducted
from. Returns of amount without quantity are not clawed back (the fee is per unit).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.workdays.calendar import next_month
from customers.models import Product, Purchase

from ..models import EntryKind, LedgerEntry, PurchaseCorrection, Statement, StatementLine, StatementStatus
from ..models.common import QUANTITY, ZERO
from .fees import to_fen
from .ledger import account_for, ledger_post

Key = tuple[int, int, date]  # customer, product, purchase month


@dataclass
class ClawbackDue:
    statement_id: int
    rep_id: int
    month: date
    customer_id: int
    product_id: int
    purchase_month: date
    basis: Decimal
    now: Decimal
    paid: Decimal
    clawed: Decimal
    due: Decimal


def _lines_with_returns(statement: Statement | None = None):
    """Paid lines of valid statements whose purchase row now has fewer net units."""
    net = ExpressionWrapper(F("quantity") - F("returned_quantity"), output_field=DecimalField(**QUANTITY))
    # A frozen row corrected late (returns reported after the payout) counts as corrected.
    corrected_net = (
        PurchaseCorrection.objects.filter(purchase_id=OuterRef("pk"), applied_at__isnull=True)
        .order_by("-made_at", "-pk")
        .annotate(net=net)
        .values("net")[:1]
    )
    net_now = (
        Purchase.objects.filter(
            customer_id=OuterRef("customer_id"), product_id=OuterRef("product_id"), month=OuterRef("purchase_month")
        )
        .annotate(net=Coalesce(Subquery(corrected_net, output_field=DecimalField(**QUANTITY)), net))
        .values("net")[:1]
    )
    lines = (
        StatementLine.objects.filter(statement__status=StatementStatus.VALID, payable__gt=0)
        .annotate(now=Subquery(net_now, output_field=DecimalField(**QUANTITY)))
        .filter(now__lt=F("net_quantity"))
    )
    if statement is not None:
        lines = lines.filter(statement=statement)
    return lines


def clawbacks_due(statement: Statement | None = None) -> list[ClawbackDue]:
    """What returns make due, for one statement or for all (finance's page). Four queries."""
    candidates = list(_lines_with_returns(statement).values("customer_id", "product_id", "purchase_month", "now"))
    if not candidates:
        return []
    keys: set[Key] = {(c["customer_id"], c["product_id"], c["purchase_month"]) for c in candidates}
    now = {(c["customer_id"], c["product_id"], c["purchase_month"]): c["now"] for c in candidates}
    paid: dict[Key, Decimal] = defaultdict(lambda: ZERO)
    latest: dict[Key, dict] = {}
    for line in (
        StatementLine.objects.filter(
            statement__status=StatementStatus.VALID,
            customer_id__in={k[0] for k in keys},
            product_id__in={k[1] for k in keys},
            purchase_month__in={k[2] for k in keys},
        )
        .values("customer_id", "product_id", "purchase_month", "payable", "net_quantity", "statement_id",
                "statement__rep_id", "statement__month")
        .order_by("statement__month", "statement_id")
    ):  # fmt: skip
        key = (line["customer_id"], line["product_id"], line["purchase_month"])
        if key in keys:
            paid[key] += line["payable"]
            latest[key] = line
    clawed: dict[Key, Decimal] = defaultdict(lambda: ZERO)
    for row in (
        LedgerEntry.objects.filter(
            kind=EntryKind.CLAW_BACK,
            customer_id__in={k[0] for k in keys},
            account__product_id__in={k[1] for k in keys},
            month__in={k[2] for k in keys},
        )
        .values("customer_id", "account__product_id", "month")
        .annotate(total=Sum("amount"))
    ):
        clawed[(row["customer_id"], row["account__product_id"], row["month"])] -= row["total"]
    dues = []
    for key in sorted(keys, key=lambda k: (k[2], k[0], k[1])):
        line = latest.get(key)
        if line is None or line["net_quantity"] <= 0:
            continue
        basis = line["net_quantity"]
        returned = basis - max(ZERO, now[key])
        due = to_fen(paid[key] * returned / basis) - clawed[key]
        if due > 0:
            dues.append(
                ClawbackDue(statement_id=line["statement_id"], rep_id=line["statement__rep_id"],
                            month=line["statement__month"], customer_id=key[0], product_id=key[1],
                            purchase_month=key[2], basis=basis, now=now[key], paid=paid[key], clawed=clawed[key],
                            due=due)
            )  # fmt: skip
    return dues


def _units(value: Decimal) -> str:
    return f"{value.normalize():f}"


def next_statement(statement: Statement) -> Statement | None:
    return Statement.objects.filter(rep_id=statement.rep_id, month__gt=statement.month).order_by("month").first()


def clawback_for_returns(*, actor: User, statement: Statement) -> list[LedgerEntry]:
    """Finance posts the claw-backs that returns make due on a valid statement (EXP-12)."""
    if not actor.has_role(Role.FINANCE):
        raise PermissionDenied(_("Only finance claws back fees."))
    with transaction.atomic():
        statement = Statement.objects.select_for_update().select_related("rep").get(pk=statement.pk)
        if statement.status != StatementStatus.VALID:
            raise DomainError(_("Fees are clawed back only from a valid statement: nothing was paid from this one."))
        dues = clawbacks_due(statement)
        if not dues:
            raise DomainError(_("No returns since the statement was signed call for a claw-back."))
        target = next_statement(statement)
        year, number = next_month(statement.month.year, statement.month.month)
        products = Product.objects.in_bulk({due.product_id for due in dues})
        entries = []
        for due in dues:
            note = (
                f"退货追回 {due.purchase_month:%Y-%m}: {_units(due.basis - due.now)}/{_units(due.basis)} units, "
                f"paid ¥{due.paid} (statement {statement.month:%Y-%m})"
            )
            if target is None:
                note += f"; deduct from the statement for {year}-{number:02d} or later"
            entries.append(
                ledger_post(
                    kind=EntryKind.CLAW_BACK,
                    amount=-due.due,
                    month=due.purchase_month,
                    rep=statement.rep,
                    posted_by=actor,
                    account=account_for(products[due.product_id]),
                    statement=target,
                    customer_id=due.customer_id,
                    note=note[:300],
                )
            )
    return entries
