"""Late corrections of frozen purchase months (EXP-04, EXP-12, ORG-03).

A customer's purchases of a month are frozen once a statement with a line for that customer
and purchase month is submitted, signed or valid (written off included): the signers sign,
and finance pays, what those rows said. A later change from the ERP, an import, the clerk
or finance does not overwrite the row; it is posted here as a correction holding the
figures before and after and who made it. The path is the claw-back's (EXP-12): the fee
difference lands on the rep's next statement —

- the next statement computes the frozen month's fee from the corrected figures and pays
  what exceeds the fees already on earlier statements as a carry-over line (EXP-04);
- units returned after the fee was paid make a claw-back due, which finance posts against
  the next statement (`clawbacks.py` reads the corrected quantities).

The correction is linked to the rep's first statement after the freezing one that is still
being prepared; when that statement does not exist yet it is linked when the rep creates
it. Returning the freezing statement to the rep unfreezes the month: its standing
corrections are then written to the purchase rows (with the reason in their audit history),
and the resubmitted statement is computed from them.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from crm_project.accounts.models import User
from customers.models import Customer, Purchase
from customers.services.purchase_freeze import Key, LateChange, register_freezer
from customers.services.purchases import purchase_apply_figures

from ..models import PurchaseCorrection, Statement, StatementLine, StatementStatus

FIGURES = PurchaseCorrection.FIGURES
# A statement in one of these states stands on the purchases it was computed from.
FREEZING = (
    StatementStatus.SUBMITTED,
    StatementStatus.CLERK_SIGNED,
    StatementStatus.MANAGER_SIGNED,
    StatementStatus.VALID,
)
BEING_PREPARED = (StatementStatus.DRAFT, StatementStatus.RETURNED)


def freezing_statements(keys: Iterable[Key], *, exclude_statement_id: int | None = None) -> dict[Key, tuple]:
    """(statement id, statement month) of the latest freezing statement of each frozen
    (customer, purchase month). One query."""
    keys = set(keys)
    if not keys:
        return {}
    lines = StatementLine.objects.filter(
        statement__status__in=FREEZING,
        customer_id__in={customer_id for customer_id, _month in keys},
        purchase_month__in={month for _customer_id, month in keys},
    )
    if exclude_statement_id:
        lines = lines.exclude(statement_id=exclude_statement_id)
    found = {}
    for customer_id, month, statement_id, statement_month in (
        lines.order_by("statement__month", "statement_id")
        .values_list("customer_id", "purchase_month", "statement_id", "statement__month")
        .distinct()
    ):
        if (customer_id, month) in keys:
            found[(customer_id, month)] = (statement_id, statement_month)
    return found


def standing_corrections(purchases: QuerySet[Purchase] | Iterable[int]) -> dict[int, PurchaseCorrection]:
    """The latest correction not yet written to its row, per purchase id. One query."""
    corrections = PurchaseCorrection.objects.filter(applied_at__isnull=True)
    if isinstance(purchases, QuerySet):
        corrections = corrections.filter(purchase__in=purchases)
    else:
        corrections = corrections.filter(purchase_id__in=list(purchases))
    latest = {}
    for correction in corrections.order_by("made_at", "pk"):
        latest[correction.purchase_id] = correction
    return latest


def figures_of(record) -> dict[str, Decimal]:
    return {name: getattr(record, name) for name in FIGURES}


def _first_statement_being_prepared(reps: set[int]) -> dict[int, list[tuple[date, int]]]:
    months = defaultdict(list)
    for rep_id, month, pk in (
        Statement.objects.filter(rep_id__in=reps, status__in=BEING_PREPARED)
        .order_by("month")
        .values_list("rep_id", "month", "pk")
    ):
        months[rep_id].append((month, pk))
    return months


def corrections_post(*, actor: User, changes: list[LateChange], source: str) -> list[PurchaseCorrection]:
    """Record late changes to frozen rows (EXP-04): before and after, who, and the statement
    that carries them. The caller holds the freeze lock (customers.services.purchase_freeze),
    so the months cannot unfreeze meanwhile. A fixed number of queries."""
    if not changes:
        return []
    keys = {(change.purchase.customer_id, change.purchase.month) for change in changes}
    freezing = freezing_statements(keys)
    standing = standing_corrections(change.purchase.pk for change in changes)
    owners = dict(
        Customer.objects.filter(pk__in={customer_id for customer_id, _month in keys}).values_list("pk", "owner_id")
    )
    preparing = _first_statement_being_prepared(set(owners.values()))
    corrections = []
    for change in changes:
        purchase = change.purchase
        statement_id, statement_month = freezing[(purchase.customer_id, purchase.month)]
        rep_id = owners[purchase.customer_id]
        before = figures_of(standing[purchase.pk]) if purchase.pk in standing else figures_of(purchase)
        carried_by = next((pk for month, pk in preparing.get(rep_id, []) if month > statement_month), None)
        corrections.append(
            PurchaseCorrection(
                purchase=purchase, rep_id=rep_id, frozen_by_id=statement_id, carried_by_id=carried_by,
                source=source, made_by=actor, made_at=timezone.now(),
                **{f"old_{name}": value for name, value in before.items()}, **change.values,
            )
        )  # fmt: skip
    return bulk_create_with_history(corrections, PurchaseCorrection, default_user=actor)


def corrections_attach(statement: Statement) -> int:
    """Link the rep's corrections still waiting for a next statement to this one, when it
    comes after the statement that froze them (EXP-04)."""
    return PurchaseCorrection.objects.filter(
        rep_id=statement.rep_id,
        carried_by__isnull=True,
        applied_at__isnull=True,
        frozen_by__month__lt=statement.month,
    ).update(carried_by=statement)


def corrections_unfreeze(*, actor: User, statement: Statement) -> int:
    """The statement was returned to the rep: the months it alone froze are open again, so
    their standing corrections are written to the purchase rows. Call in the returning
    transaction, holding the freeze lock exclusively. Returns the rows written."""
    keys = set(statement.lines.values_list("customer_id", "purchase_month").distinct())
    unfrozen = keys - set(freezing_statements(keys, exclude_statement_id=statement.pk))
    if not unfrozen:
        return 0
    pending = [
        correction
        for correction in PurchaseCorrection.objects.filter(
            applied_at__isnull=True,
            purchase__customer_id__in={customer_id for customer_id, _month in unfrozen},
            purchase__month__in={month for _customer_id, month in unfrozen},
        )
        .select_related("purchase", "made_by")
        .order_by("made_at", "pk")
        if (correction.purchase.customer_id, correction.purchase.month) in unfrozen
    ]
    latest = {correction.purchase_id: correction for correction in pending}
    reason = _("Late correction written to the purchase: the statement for %(month)s was returned to the rep.") % {
        "month": f"{statement.month:%Y-%m}"
    }
    for correction in latest.values():
        purchase_apply_figures(
            actor=actor,
            purchase=Purchase.objects.select_for_update().get(pk=correction.purchase_id),
            values=figures_of(correction),
            reason=f"{reason} ({correction.made_by.display_name}, {timezone.localtime(correction.made_at):%Y-%m-%d})",
        )
    now = timezone.now()
    for correction in pending:
        correction.applied_at = now
    bulk_update_with_history(pending, PurchaseCorrection, fields=["applied_at"], default_user=actor)
    return len(latest)


class FeeFreezer:
    """The freezer the customers app asks before writing purchase figures."""

    def frozen(self, keys: Iterable[Key]) -> set[Key]:
        return set(freezing_statements(keys))

    def current_figures(self, purchase_ids: Iterable[int]) -> dict[int, dict[str, Decimal]]:
        return {pk: figures_of(correction) for pk, correction in standing_corrections(purchase_ids).items()}

    def post(self, *, actor: User, changes: list[LateChange], source: str) -> None:
        corrections_post(actor=actor, changes=changes, source=source)


def register() -> None:
    register_freezer(FeeFreezer())
