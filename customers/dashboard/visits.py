"""Visit completion: visits planned in the period, completed, cancelled and overdue, by rep
(DSH-01, CUS-09)."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import User
from crm_project.dashboard.blocks import (
    Chart,
    Number,
    Presentation,
    Series,
    Table,
    days_of,
    list_url,
    share,
)

from ..models import Visit, VisitStatus
from .common import (
    OWNER_NAME,
    VISIT_COLUMNS,
    VISIT_REPS,
    filterable_owners,
    note_for,
    person_name,
)


def _rate(row: dict) -> float | None:
    """Completed ÷ the visits that were to be made (planned for the period, not cancelled)."""
    return share(row["completed"], row["planned"] - row["cancelled"])


def visit_figures(scope) -> dict:
    """Visits planned for the period (by planned date), completed, cancelled and overdue, by
    visitor, with the period before — one grouped query, read from the visits' index."""
    period, previous = scope.period, scope.period.previous()
    visits = scope.in_department(scope.visible(Visit), "owner")
    spans = {"": Q(planned_date__gte=period.start), "previous_": Q(planned_date__lt=period.start)}
    kinds = {
        "planned": Q(),
        "completed": Q(status=VisitStatus.COMPLETED),
        "cancelled": Q(status=VisitStatus.CANCELLED),
        "late": Q(status=VisitStatus.PLANNED, planned_date__lt=timezone.localdate()),
    }
    by_owner = list(
        visits.filter(planned_date__gte=previous.start, planned_date__lt=period.end)
        .values("owner_id")
        .annotate(
            **{
                f"{span}{kind}": Count("planned_date", filter=spans[span] & kinds[kind])
                for span in spans
                for kind in kinds
            }
        )
        .order_by()
    )  # one row per visitor: bounded by the staff, not by the visits
    # Overdue is overdue_visits()' rule: late, and the customer not archived. Taking the few
    # late visits of archived customers away (their partial index) spares the late visits of
    # the period a join with every customer.
    late_but_archived = dict(
        visits.filter(kinds["late"], planned_date__gte=period.start, planned_date__lt=period.end)
        .filter(customer__archived_at__isnull=False)
        .values_list("owner_id")
        .annotate(visits=Count("planned_date"))
        .order_by()
    )
    names = {
        row["pk"]: person_name(row)
        for row in User.objects.filter(pk__in=[row["owner_id"] for row in by_owner]).values("pk", *OWNER_NAME)
    }
    totals = {f"{span}{kind}": sum(row[f"{span}{kind}"] for row in by_owner) for span in spans for kind in kinds}

    def counts(row: dict, prefix: str = "") -> dict:
        figures = {kind: row[f"{prefix}{kind}"] for kind in ("planned", "completed", "cancelled")}
        return {**figures, "rate": _rate(figures)}

    def rep(row: dict) -> dict:
        return {
            "owner_id": row["owner_id"],
            "name": names[row["owner_id"]],
            **counts(row),
            "not_completed": row["planned"] - row["completed"] - row["cancelled"],
            "overdue": row["late"] - late_but_archived.get(row["owner_id"], 0),
        }

    reps = sorted(
        (row for row in by_owner if row["planned"]), key=lambda row: (-row["planned"], names[row["owner_id"]])
    )
    return {
        **counts(totals),
        "not_completed": totals["planned"] - totals["completed"] - totals["cancelled"],
        "overdue": totals["late"] - sum(late_but_archived.values()),
        "previous": counts(totals, "previous_"),
        "by_rep": [rep(row) for row in reps[:VISIT_REPS]],
    }


def _visit_list(scope, **params) -> str:
    return list_url("customers:visit_list", **days_of(scope.period, "planned"), **params)


def visit_present(figures: dict, scope) -> Presentation:
    before, reps = figures["previous"], figures["by_rep"]
    filterable = filterable_owners(scope, reps)
    owner = {r["owner_id"]: r["owner_id"] if r["owner_id"] in filterable else None for r in reps}
    headers = [
        _("Rep"),
        _("Planned"),
        _("Completed"),
        _("Not completed"),
        _("Cancelled"),
        _("Overdue"),
        _("Completion rate (%)"),
    ]
    return Presentation(
        numbers=[
            Number(_("Visits planned"), figures["planned"], before["planned"], _visit_list(scope), key="planned"),
            Number(
                _("Visits completed"),
                figures["completed"],
                before["completed"],
                _visit_list(scope, status=VisitStatus.COMPLETED),
                key="completed",
            ),
            Number(_("Completion rate"), figures["rate"], before["rate"], unit="%", key="rate"),
            Number(_("Overdue visits"), figures["overdue"], url=_visit_list(scope, overdue="on"), key="overdue"),
            Number(
                _("Visits cancelled"),
                figures["cancelled"],
                before["cancelled"],
                _visit_list(scope, status=VisitStatus.CANCELLED),
                key="cancelled",
            ),
        ],
        charts=[
            Chart(
                "visits-by-rep",
                _("Visits planned for the period, by rep"),
                "stacked",
                [r["name"] for r in reps],
                [
                    Series(_("Completed"), [r["completed"] for r in reps]),
                    Series(_("Not completed"), [r["not_completed"] for r in reps]),
                ],
                links=[_visit_list(scope, owner=owner[r["owner_id"]]) for r in reps],
            )
        ],
        tables=[
            Table(
                _("Visits by rep"),
                headers,
                [[r[column] for column in VISIT_COLUMNS] for r in reps],
                ["", *["quantity"] * 5, ""],
            )
        ],
        list_url=_visit_list(scope),
        note=note_for(scope, _("The rate: visits completed ÷ visits planned for the period and not cancelled.")),
    )
