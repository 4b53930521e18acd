"""The purchases tab (CUS-10): the last 12 months by month — amount, returns, net sales and
collected, summed in SQL — as a chart and a table, plus the latest rows to edit. Two
queries, whatever the number of purchases."""

from datetime import date

from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ZERO, Purchase
from ..permissions import may_feed_purchases_of

MONTHS = 12
RECENT_ROWS = 10


def last_months(today: date, count: int = MONTHS) -> list[date]:
    """The first days of the `count` months up to and including today's, oldest first."""
    months = []
    year, month = today.year, today.month
    for _step in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def monthly_totals(customer, months: list[date]) -> list[dict]:
    sums = {
        row["month"]: row
        for row in Purchase.objects.filter(customer=customer, month__gte=months[0], month__lte=months[-1])
        .order_by()
        .values("month")
        .annotate(
            sold=Sum("amount"),
            returned=Sum("returned_amount"),
            net=Sum(F("amount") - F("returned_amount")),
            collected=Sum("collected_amount"),
        )
    }
    empty = {"sold": ZERO, "returned": ZERO, "net": ZERO, "collected": ZERO}
    return [{**empty, **sums.get(month, {}), "month": month} for month in months]


def context(customer, user) -> dict:
    months = last_months(timezone.localdate())
    rows = monthly_totals(customer, months)
    totals = {key: sum((row[key] for row in rows), start=ZERO) for key in ("sold", "returned", "net", "collected")}
    chart = {
        "months": [f"{row['month']:%Y-%m}" for row in rows],
        "amount": [str(row["sold"]) for row in rows],
        "net": [str(row["net"]) for row in rows],
        "collected": [str(row["collected"]) for row in rows],
        "labels": {"amount": _("Amount"), "net": _("Net sales"), "collected": _("Collected")},
    }
    recent = list(
        Purchase.objects.filter(customer=customer)
        .select_related("product")
        .order_by("-month", "product__code")[:RECENT_ROWS]
    )
    return {
        "purchase_months": rows[::-1],
        "purchase_totals": totals,
        "purchase_chart": chart,
        "purchase_has_any": any(row["sold"] or row["collected"] for row in rows) or bool(recent),
        "recent_purchases": recent,
        "can_add_purchase": may_feed_purchases_of(user, customer),
    }
