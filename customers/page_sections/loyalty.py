"""The loyalty tab (CUS-13): the balance (the ledger's sum), the last 20 entries and the
redeem form. Three queries, whatever the length of the ledger."""

from django.db.models import Sum

from ..forms_purchases import RedeemForm
from ..models import CustomerSettings, LoyaltyEntry
from ..permissions import can_edit_customer

LAST_ENTRIES = 20


def context(customer, user) -> dict:
    entries = LoyaltyEntry.objects.filter(customer=customer)
    may_redeem = can_edit_customer(user, customer)
    latest = list(entries.select_related("purchase", "purchase__product", "created_by")[: LAST_ENTRIES + 1])
    return {
        "loyalty_balance": entries.aggregate(total=Sum("points"))["total"] or 0,
        "loyalty_entries": latest[:LAST_ENTRIES],
        "loyalty_has_more": len(latest) > LAST_ENTRIES,
        # Read, never create, the settings: the page costs the same on its first view.
        "loyalty_rate": CustomerSettings.objects.filter(pk=1).values_list("points_per_yuan", flat=True).first()
        or CustomerSettings._meta.get_field("points_per_yuan").default,
        "can_redeem_points": may_redeem,
        "redeem_form": RedeemForm() if may_redeem else None,
    }
