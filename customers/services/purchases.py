"""Purchases 采购记录 (CUS-10): per customer, product and month — quantity, amount, returns,
net sales 纯销 (amount − returns) and the amount collected 回款.

One row per (customer, product, month). Rows come from three places — entered by hand,
imported from Excel (CUS-12), or sent by the ERP through the bulk-upsert API — and all of
them pass the same checks here: no negative figures, returns within sales, to the fen, and
a month that has started, and figures no real row has (collected above net sales, sizes
beyond `PURCHASE_MAX_QUANTITY` / `PURCHASE_MAX_AMOUNT`). Every saved change posts the
loyalty points it earns (CUS-13). Who may write them, and what happens to a month already on
a submitted statement, is said at `purchase_save`.
"""

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError, PermissionDenied

from ..models import ZERO, Customer, Product, Purchase, PurchaseSource
from ..permissions import may_feed_purchases, may_feed_purchases_of
from ..selectors import purchase_feed_customers
from .loyalty import loyalty_post_for_purchases
from .purchase_freeze import LateChange, freezer, lock_purchase_months

CENT = Decimal("0.01")
NUMBER_FIELDS = ("quantity", "amount", "returned_quantity", "returned_amount", "collected_amount")
REQUIRED_NUMBERS = ("quantity", "amount")
# The largest values the columns hold (QUANTITY: 12 digits, MONEY: 14 digits, 2 decimals).
LIMITS = {
    "quantity": Decimal("9999999999.99"),
    "returned_quantity": Decimal("9999999999.99"),
    "amount": Decimal("999999999999.99"),
    "returned_amount": Decimal("999999999999.99"),
    "collected_amount": Decimal("999999999999.99"),
}
LABELS = {
    "quantity": gettext_lazy("The quantity"),
    "amount": gettext_lazy("The amount"),
    "returned_quantity": gettext_lazy("The quantity returned"),
    "returned_amount": gettext_lazy("The amount returned"),
    "collected_amount": gettext_lazy("The amount collected"),
}
EARLIEST_MONTH = date(2000, 1, 1)
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月|[-/.]\s*(\d{1,2})\s*日?)?$")
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


# --- values ------------------------------------------------------------------------------


def parse_month(value) -> date:
    """A month as "YYYY-MM" (also YYYY-MM-DD, 2026/9, 2026年9月 or a date), normalised to the
    1st; refused when it has not started yet or is before 2000."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        month = value.replace(day=1)
    else:
        text = str(value if value is not None else "").strip()
        if not text:
            raise DomainError(_("Give the month, as YYYY-MM."), field="month")
        match = _MONTH.match(text)
        try:
            if not match:
                raise ValueError
            date(int(match[1]), int(match[2]), int(match[3] or 1))  # a real day, if one is given
            month = date(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise DomainError(
                _("“%(value)s” is not a month; write it as YYYY-MM, e.g. 2026-09.") % {"value": text[:20]},
                field="month",
            ) from None
    if month > timezone.localdate().replace(day=1):
        raise DomainError(
            _("%(month)s has not started yet; purchases are recorded for past or current months.")
            % {"month": f"{month:%Y-%m}"},
            field="month",
        )
    if month < EARLIEST_MONTH:
        raise DomainError(_("%(month)s is too far back.") % {"month": f"{month:%Y-%m}"}, field="month")
    return month


def parse_number(value, *, field: str, required: bool = False) -> Decimal:
    """A figure to the fen: not negative, at most two decimals, within the column's size.
    Blank is 0 unless `required`."""
    label = LABELS[field]
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DomainError(_("%(label)s is missing.") % {"label": label}, field=field)
        return ZERO
    if isinstance(value, bool):
        raise DomainError(_("%(label)s is not a number.") % {"label": label}, field=field)
    text = str(value).strip()
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise DomainError(
            _("%(label)s is not a number: “%(value)s”.") % {"label": label, "value": text[:20]}, field=field
        ) from None
    if not number.is_finite():
        raise DomainError(_("%(label)s is not a number.") % {"label": label}, field=field)
    if number < 0:
        raise DomainError(_("%(label)s cannot be negative.") % {"label": label}, field=field)
    # The bound before the decimals: quantizing 1E+30 to the fen overflows Decimal's precision.
    if number > LIMITS[field]:
        raise DomainError(_("%(label)s is too large.") % {"label": label}, field=field)
    if number != number.quantize(CENT):
        raise DomainError(_("%(label)s has more than two decimals.") % {"label": label}, field=field)
    return number.quantize(CENT)


def clean_purchase_numbers(raw: Mapping) -> tuple[dict[str, Decimal], list[DomainError]]:
    """Every figure of a row, and every problem with them (not only the first)."""
    values: dict[str, Decimal] = {}
    errors: list[DomainError] = []
    for name in NUMBER_FIELDS:
        try:
            values[name] = parse_number(raw.get(name), field=name, required=name in REQUIRED_NUMBERS)
        except DomainError as error:
            errors.append(error)
    pairs = (("returned_quantity", "quantity"), ("returned_amount", "amount"))
    for returned, sold in pairs:
        if returned in values and sold in values and values[returned] > values[sold]:
            errors.append(
                DomainError(
                    _("%(returned)s (%(value)s) is more than was sold (%(sold)s).")
                    % {"returned": LABELS[returned], "value": values[returned], "sold": values[sold]},
                    field=returned,
                )
            )
    errors += implausible_figures(values)
    return values, errors


def implausible_figures(values: Mapping[str, Decimal]) -> list[DomainError]:
    """Figures no real row has (EXP-04: they would feed a fee). Collected is the money
    received for this row's own net sales: a payment of an earlier month's invoice belongs
    on that month's row, where it makes that month's fee payable (the statement's
    carry-over), so collected above net sales is refused rather than capped."""
    errors = []
    max_quantity = Decimal(getattr(settings, "PURCHASE_MAX_QUANTITY", 1_000_000))
    max_amount = Decimal(getattr(settings, "PURCHASE_MAX_AMOUNT", 100_000_000))
    if values.get("quantity", ZERO) > max_quantity:
        errors.append(
            DomainError(
                _("The quantity (%(value)s) is above %(max)s units for one customer, product and month; check the row.")
                % {"value": values["quantity"], "max": f"{max_quantity:,}"},
                field="quantity",
            )
        )
    if values.get("amount", ZERO) > max_amount:
        errors.append(
            DomainError(
                _("The amount (¥%(value)s) is above ¥%(max)s for one customer, product and month; check the row.")
                % {"value": f"{values['amount']:,}", "max": f"{max_amount:,}"},
                field="amount",
            )
        )
    if {"amount", "returned_amount", "collected_amount"} <= values.keys():
        net_sales = values["amount"] - values["returned_amount"]
        if values["collected_amount"] > net_sales >= 0:  # returns above sales are reported already
            errors.append(
                DomainError(
                    _(
                        "The amount collected (¥%(collected)s) is more than the net sales of this row (¥%(net)s). "
                        "Record collections net of refunds, and a payment for another month's purchases on that "
                        "month's row."
                    )
                    % {"collected": values["collected_amount"], "net": net_sales},
                    field="collected_amount",
                )
            )
    return errors


def clean_code(value) -> str:
    """A customer or product code as typed, or as Excel stored it (1001.0 → "1001")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


# --- one purchase, by hand -----------------------------------------------------------------


def _figures_of(purchase: Purchase) -> dict[str, Decimal]:
    return {name: getattr(purchase, name) for name in NUMBER_FIELDS}


def purchase_save(
    *,
    actor: User,
    customer: Customer,
    product: Product,
    month,
    quantity,
    amount,
    returned_quantity=ZERO,
    returned_amount=ZERO,
    collected_amount=ZERO,
    source: str = PurchaseSource.MANUAL,
    external_ref: str | None = None,
    expect_new: bool = False,
) -> Purchase:
    """Create or update the row for (customer, product, month) (CUS-10) and post the loyalty
    points it earns, or the difference when its net sales change (CUS-13). `expect_new`
    refuses to overwrite an existing row (the "add a purchase" form).

    The figures are fee inputs (EXP-04): only the sales clerk, finance and the ERP set them,
    never for a customer they own. A row of a frozen month (its statement is submitted or
    signed) keeps its figures; the change is posted as a late correction that the rep's next
    statement carries, and the returned row has `posted_as_correction` set."""
    if not may_feed_purchases(actor):
        raise PermissionDenied(
            _("Purchase figures come from the ERP, the sales clerk or finance; you may not record them.")
        )
    month = parse_month(month)
    values, errors = clean_purchase_numbers(
        {
            "quantity": quantity,
            "amount": amount,
            "returned_quantity": returned_quantity,
            "returned_amount": returned_amount,
            "collected_amount": collected_amount,
        }
    )
    if errors:
        raise errors[0]
    ref = (external_ref or "").strip() or None
    if ref and len(ref) > 100:
        raise DomainError(_("The external reference is longer than 100 characters."), field="external_ref")
    with transaction.atomic():
        lock_purchase_months()
        # Locking the customer serialises its purchase saves and point redemptions.
        locked = purchase_feed_customers(actor).select_for_update(of=("self",)).filter(pk=customer.pk).first()
        if locked is None or not may_feed_purchases_of(actor, locked):
            raise PermissionDenied(_("You may not record purchases for this customer."))
        purchase = Purchase.objects.select_for_update().filter(customer=locked, product=product, month=month).first()
        if ref and Purchase.objects.filter(external_ref=ref).exclude(pk=purchase.pk if purchase else None).exists():
            raise DomainError(
                _("The external reference %(ref)s is already used by another purchase.") % {"ref": ref},
                field="external_ref",
            )
        frozen = bool(freezer().frozen([(locked.pk, month)]))
        if purchase is None:
            if frozen:
                # Nothing was stated for this product: the row starts at zero, the figures
                # are the correction's.
                purchase = Purchase.objects.create(customer=locked, product=product, month=month, source=source,
                                                   external_ref=ref)  # fmt: skip
                freezer().post(actor=actor, changes=[LateChange(purchase, values)], source=source)
                purchase.posted_as_correction = True
                return purchase
            purchase = Purchase.objects.create(
                customer=locked, product=product, month=month, source=source, external_ref=ref, **values
            )
            loyalty_post_for_purchases(purchases=[purchase], actor=actor)
            return purchase
        if expect_new:
            raise DomainError(
                _("%(product)s is already recorded for %(month)s; edit that row instead.")
                % {"product": product.name, "month": f"{month:%Y-%m}"},
                field="month",
            )
        if ref and purchase.external_ref and purchase.external_ref != ref:
            raise DomainError(
                _("This row comes from %(ref)s and keeps that reference.") % {"ref": purchase.external_ref},
                field="external_ref",
            )
        if ref and purchase.external_ref != ref:
            purchase.external_ref = ref
            purchase.save(update_fields=["external_ref", "updated_at"])
        if frozen:
            current = freezer().current_figures([purchase.pk]).get(purchase.pk) or _figures_of(purchase)
            if current != values:
                freezer().post(actor=actor, changes=[LateChange(purchase, values)], source=source)
                purchase.posted_as_correction = True
            return purchase
        old_net = purchase.net_sales
        changed = [name for name, value in values.items() if getattr(purchase, name) != value]
        for name in changed:
            setattr(purchase, name, values[name])
        if changed:
            purchase.save(update_fields=[*changed, "updated_at"])
        if purchase.net_sales != old_net:
            loyalty_post_for_purchases(purchases=[purchase], actor=actor)
    return purchase


def purchase_apply_figures(*, actor: User, purchase: Purchase, values: Mapping[str, Decimal], reason: str) -> Purchase:
    """Write figures already checked and decided elsewhere — a late correction whose month
    has been unfrozen (EXP-04) — with `reason` in the audit history (ORG-03), and post the
    loyalty difference (CUS-13). The caller holds the freeze lock and the row."""
    changed = [name for name in NUMBER_FIELDS if getattr(purchase, name) != values[name]]
    if not changed:
        return purchase
    for name in changed:
        setattr(purchase, name, values[name])
    purchase._history_user = actor
    purchase._change_reason = reason
    purchase.save(update_fields=[*changed, "updated_at"])
    loyalty_post_for_purchases(purchases=[purchase], actor=actor)
    return purchase
