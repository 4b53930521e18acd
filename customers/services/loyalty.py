"""Loyalty points (CUS-13): a ledger, never a mutable total.

A purchase earns floor(net sales × points per yuan) points (the rate is a setting,
`CustomerSettings.points_per_yuan`). When a purchase changes, the difference is posted as an
`adjusted` entry; old entries are never edited. Points are redeemed for coupons or gifts,
never beyond the balance. The balance is the sum of the ledger.
"""

from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError, PermissionDenied

from ..models import Customer, CustomerSettings, LoyaltyEntry, LoyaltyKind, Purchase
from ..permissions import can_edit_customer
from ..selectors import customer_visible_to

MAX_REDEMPTION = 10_000_000


def points_for(net_sales: Decimal, rate: Decimal) -> int:
    """CUS-13: whole points, rounded down; nothing for a purchase with no net sales."""
    if net_sales <= 0 or rate <= 0:
        return 0
    return int((net_sales * rate).to_integral_value(rounding=ROUND_FLOOR))


def loyalty_balance(customer: Customer) -> int:
    return LoyaltyEntry.objects.filter(customer=customer).aggregate(total=Sum("points"))["total"] or 0


def loyalty_post_for_purchases(
    *, purchases: Iterable[Purchase], actor: User | None = None, rate: Decimal | None = None
) -> list[LoyaltyEntry]:
    """Bring each purchase's points up to date: the first posting is `earned`, any later
    difference `adjusted`. Idempotent — a purchase whose points are already posted gets no
    entry — and a fixed number of queries for any number of purchases."""
    purchases = [purchase for purchase in purchases if purchase.pk]
    if not purchases:
        return []
    rate = CustomerSettings.load().points_per_yuan if rate is None else rate
    posted = {
        row["purchase_id"]: row
        for row in LoyaltyEntry.objects.filter(purchase_id__in=[p.pk for p in purchases])
        .order_by()
        .values("purchase_id")
        .annotate(total=Sum("points"), entries=Count("pk"))
    }
    entries = []
    for purchase in purchases:
        row = posted.get(purchase.pk)
        difference = points_for(purchase.net_sales, rate) - (row["total"] if row else 0)
        if difference == 0:
            continue
        entries.append(
            LoyaltyEntry(
                customer_id=purchase.customer_id,
                kind=LoyaltyKind.ADJUSTED if row else LoyaltyKind.EARNED,
                points=difference,
                purchase=purchase,
                created_by=actor,
            )
        )
    return LoyaltyEntry.objects.bulk_create(entries, batch_size=1000)


def loyalty_redeem(*, actor: User, customer: Customer, points: int, note: str) -> LoyaltyEntry:
    """Redeem points for a coupon or gift (CUS-13). Refuses more than the balance; the
    customer row is locked so two redemptions cannot both spend the same points."""
    if not can_edit_customer(actor, customer):
        raise PermissionDenied(_("You may not redeem this customer's points."))
    try:
        points = int(points)
    except (TypeError, ValueError):
        raise DomainError(_("Enter the number of points as a whole number."), field="points") from None
    if points <= 0:
        raise DomainError(_("Redeem at least 1 point."), field="points")
    if points > MAX_REDEMPTION:
        raise DomainError(_("That is more points than can be redeemed at once."), field="points")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say what the points are redeemed for (a coupon or a gift)."), field="note")
    with transaction.atomic():
        customer = customer_visible_to(actor).select_for_update().get(pk=customer.pk)
        balance = loyalty_balance(customer)
        if points > balance:
            raise DomainError(
                _("The balance is %(balance)s points; %(points)s cannot be redeemed.")
                % {"balance": balance, "points": points},
                field="points",
            )
        return LoyaltyEntry.objects.create(
            customer=customer, kind=LoyaltyKind.REDEEMED, points=-points, note=note[:200], created_by=actor
        )
