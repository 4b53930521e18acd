"""Late purchase corrections on the customer's timeline (CUS-08, ORG-03): who changed which
figures of a frozen month, and which statement carries the change. Figures only — the fee
they make stays on the statement (EXP-13)."""

from django.utils.translation import gettext as _

from customers.timeline import TimelineEntry, providers

from .models import PurchaseCorrection


def _money(value) -> str:
    return f"{value:,.2f}"


def correction_entries(customer, limit: int) -> list[TimelineEntry]:
    rows = (
        PurchaseCorrection.objects.filter(purchase__customer=customer)
        .select_related("purchase__product", "made_by", "carried_by", "frozen_by")
        .order_by("-made_at", "-pk")[:limit]
    )
    entries = []
    for row in rows:
        if row.applied_at:
            text = _("Written to the purchase when the statement for %(month)s was returned.") % {
                "month": f"{row.frozen_by.month:%Y-%m}"
            }
        elif row.carried_by_id:
            text = _("Carried by the statement for %(month)s.") % {"month": f"{row.carried_by.month:%Y-%m}"}
        else:
            text = _("Carried by the rep's next statement.")
        entries.append(
            TimelineEntry(
                when=row.made_at,
                kind="correction",
                title=_("Late correction of %(month)s · %(product)s")
                % {"month": f"{row.purchase.month:%Y-%m}", "product": row.purchase.product.name},
                icon="pencil-square",
                who=row.made_by.display_name,
                text=text,
                details=[(label, f"{_money(old)} → {_money(new)}") for label, old, new in row.changes],
                highlight=True,
            )
        )
    return entries


def register_timeline() -> None:
    if correction_entries not in providers:
        providers.append(correction_entries)
