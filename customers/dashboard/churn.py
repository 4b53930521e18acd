"""Churn: the customers turned churned in the period (`Customer.churned_at`, kept by a trigger,
migration 0009) against the customers at its start (DSH-01)."""

from datetime import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from crm_project.dashboard.blocks import (
    Chart,
    Number,
    Presentation,
    Series,
    Table,
    share,
)

from .common import (
    CHURN_REPS,
    CHURNED,
    OWNER,
    customer_list,
    customers_in_scope,
    filterable_owners,
    in_use_at,
    note_for,
    person_name,
)


def _churned_in(start: datetime, end: datetime) -> Q:
    """Turned churned in [start, end) (the time the database keeps, migration 0009), and not
    archived before it began."""
    return Q(status=CHURNED, churned_at__gte=start, churned_at__lt=end) & ~Q(archived_at__lt=start)


def _in_book(moment: datetime) -> Q:
    """The book at a moment: in use then and not churned before it."""
    return in_use_at(moment) & ~Q(status=CHURNED, churned_at__lt=moment)


def churn_figures(scope) -> dict:
    """Churned in the period ÷ the book at its start, as a percentage with one decimal."""
    period, previous = scope.period, scope.period.previous()
    customers = customers_in_scope(scope)
    row = customers.aggregate(
        churned=Count("owner", filter=_churned_in(period.start_at, period.end_at)),
        book=Count("owner", filter=_in_book(period.start_at)),
        previous_churned=Count("owner", filter=_churned_in(previous.start_at, period.start_at)),
        previous_book=Count("owner", filter=_in_book(previous.start_at)),
    )
    by_rep = (
        customers.filter(_churned_in(period.start_at, period.end_at))
        .values(*OWNER)
        .annotate(churned=Count("owner"))
        .order_by("-churned", "owner__username")[:CHURN_REPS]
    )
    return {
        "churned": row["churned"],
        "book": row["book"],
        "rate": share(row["churned"], row["book"]),
        "previous": {
            "churned": row["previous_churned"],
            "book": row["previous_book"],
            "rate": share(row["previous_churned"], row["previous_book"]),
        },
        "by_rep": [
            {"owner_id": r["owner_id"], "name": person_name(r, "owner__"), "churned": r["churned"]} for r in by_rep
        ],
    }


def churn_present(figures: dict, scope) -> Presentation:
    before, reps = figures["previous"], figures["by_rep"]
    churned_list = customer_list(status=CHURNED)
    filterable = filterable_owners(scope, reps)
    links = [customer_list(status=CHURNED, owner=r["owner_id"] if r["owner_id"] in filterable else None) for r in reps]
    return Presentation(
        numbers=[
            Number(_("Customers churned"), figures["churned"], before["churned"], churned_list, key="churned"),
            Number(_("Churn rate"), figures["rate"], before["rate"], churned_list, unit="%", key="rate"),
            Number(_("Customers at the start of the period"), figures["book"], before["book"], key="book"),
        ],
        charts=[
            Chart(
                "churn-by-rep",
                _("Customers churned, by rep"),
                "bar",
                [r["name"] for r in reps],
                [Series(_("Customers churned"), [r["churned"] for r in reps])],
                links=links,
            )
        ],
        tables=[
            Table(
                _("Churn"),
                [_("Figure"), scope.period.code, scope.period.previous().code],
                [
                    [_("Customers churned"), figures["churned"], before["churned"]],
                    [_("Customers at the start of the period"), figures["book"], before["book"]],
                    [_("Churn rate (%)"), figures["rate"], before["rate"]],
                ],
            ),
            Table(
                _("Churned by rep"),
                [_("Rep"), _("Customers churned")],
                [[r["name"], r["churned"]] for r in reps],
                ["", "quantity"],
            ),
        ],
        list_url=churned_list,
        note=note_for(
            scope, _("The rate: customers churned in the period ÷ the customers at its start (not churned before it).")
        ),
    )
