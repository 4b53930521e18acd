"""Customers by grade at the end of the period, with the grade changes in it; customers by
lifecycle status (DSH-01, CUS-03)."""

from datetime import datetime

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.dashboard.blocks import (
    Chart,
    Number,
    Presentation,
    Series,
    Table,
)

from ..models import CustomerStatus, GradeChange
from .common import (
    GRADES,
    STATUSES,
    counts_by,
    customer_list,
    customers_in_scope,
    in_use_at,
    note_for,
)


def _grade_changes(scope):
    return scope.in_department(scope.visible(GradeChange), "customer__owner")


def _grades_at(scope, moments: dict[str, datetime]) -> dict[str, dict[str, int]]:
    """The customers in use at each moment by their grade then. Today's grade, except for those
    regraded since: the earliest change after the moment says what their grade was (CUS-03
    keeps every change), counted as one correction per (grade now, grade then)."""
    counts = counts_by(customers_in_scope(scope), "grade", GRADES, {key: in_use_at(at) for key, at in moments.items()})
    for key, moment in moments.items():
        if moment > timezone.now():
            continue
        changes = _grade_changes(scope)
        first_since = (
            changes.filter(changed_at__gte=moment).order_by("customer_id", "changed_at", "pk").distinct("customer_id")
        )
        corrections = (
            changes.filter(pk__in=first_since.values("pk"))
            .filter(in_use_at(moment, "customer__"))
            .values("customer__grade", "from_grade")
            .annotate(customers=Count("pk"))
            .order_by()
        )
        for row in corrections:  # at most 16 rows
            counts[key][row["customer__grade"]] -= row["customers"]
            counts[key][row["from_grade"]] += row["customers"]
    return counts


def grade_figures(scope) -> dict:
    period, previous = scope.period, scope.period.previous()
    grades = _grades_at(scope, {"end": period.end_at, "start": period.start_at})
    changes = _grade_change_counts(scope, period, previous)
    return {
        "by_grade": grades["end"],
        "total": sum(grades["end"].values()),
        **changes["period"],
        "previous": {"by_grade": grades["start"], "total": sum(grades["start"].values()), **changes["previous"]},
    }


def _grade_change_counts(scope, period, previous) -> dict:
    """Upgrades (towards A) and downgrades in the period and the one before, in one query."""
    spans = {"period": Q(changed_at__gte=period.start_at), "previous": Q(changed_at__lt=period.start_at)}
    directions = {"upgrades": Q(to_grade__lt=F("from_grade")), "downgrades": Q(to_grade__gt=F("from_grade"))}
    row = (
        _grade_changes(scope)
        .filter(changed_at__gte=previous.start_at, changed_at__lt=period.end_at)
        .aggregate(
            **{
                f"{span}_{direction}": Count("pk", filter=spans[span] & directions[direction])
                for span in spans
                for direction in directions
            }
        )
    )
    return {span: {direction: row[f"{span}_{direction}"] for direction in directions} for span in spans}


def grade_present(figures: dict, scope) -> Presentation:
    before = figures["previous"]
    numbers = [
        Number(_("Customers in use"), figures["total"], before["total"], customer_list(), key="total"),
        *(
            Number(
                _("Grade %(grade)s") % {"grade": grade},
                figures["by_grade"][grade],
                before["by_grade"][grade],
                customer_list(grade=grade),
                key=f"grade-{grade}",
            )
            for grade in GRADES
        ),
        Number(_("Upgrades"), figures["upgrades"], before["upgrades"], key="upgrades"),
        Number(_("Downgrades"), figures["downgrades"], before["downgrades"], key="downgrades"),
    ]
    chart = Chart(
        "customers-by-grade",
        _("Customers by grade at the end of the period"),
        "bar",
        GRADES,
        [
            Series(_("End of %(period)s") % {"period": scope.period.code}, [figures["by_grade"][g] for g in GRADES]),
            Series(
                _("End of %(period)s") % {"period": scope.period.previous().code},
                [before["by_grade"][g] for g in GRADES],
            ),
        ],
        links=[customer_list(grade=grade) for grade in GRADES],
    )
    headers = [_("Grade"), scope.period.code, scope.period.previous().code]
    rows = [[grade, figures["by_grade"][grade], before["by_grade"][grade]] for grade in GRADES]
    rows.append([_("Total"), figures["total"], before["total"]])
    changes = [
        [_("Upgrades"), figures["upgrades"], before["upgrades"]],
        [_("Downgrades"), figures["downgrades"], before["downgrades"]],
    ]
    return Presentation(
        numbers=numbers,
        charts=[chart],
        tables=[
            Table(_("Customers by grade"), headers, rows, ["", "quantity", "quantity"]),
            Table(_("Grade changes"), [_("Change"), *headers[1:]], changes, ["", "quantity", "quantity"]),
        ],
        list_url=customer_list(),
        note=note_for(
            scope, _("Customers in use at the end of each period, by their grade then; the lists show today's.")
        ),
    )


def status_figures(scope) -> dict:
    """By today's status: a status keeps no history of its own, so a past period counts the
    customers in use at its end by the status they have now (`statuses_of_today`)."""
    period, previous = scope.period, scope.period.previous()
    counts = counts_by(
        customers_in_scope(scope),
        "status",
        STATUSES,
        {
            "end": in_use_at(period.end_at),
            "start": in_use_at(period.start_at),
            "new": Q(archived_at__isnull=True, created_at__gte=period.start_at, created_at__lt=period.end_at),
            "new_before": Q(
                archived_at__isnull=True, created_at__gte=previous.start_at, created_at__lt=period.start_at
            ),
        },
    )
    return {
        "by_status": counts["end"],
        "total": sum(counts["end"].values()),
        "new": sum(counts["new"].values()),
        "statuses_of_today": period.end_at <= timezone.now(),
        "previous": {
            "by_status": counts["start"],
            "total": sum(counts["start"].values()),
            "new": sum(counts["new_before"].values()),
        },
    }


def status_present(figures: dict, scope) -> Presentation:
    before = figures["previous"]
    labels = {status.value: status.label for status in CustomerStatus}
    numbers = [
        Number(
            labels[status],
            figures["by_status"][status],
            before["by_status"][status],
            customer_list(status=status),
            key=f"status-{status}",
        )
        for status in STATUSES
    ]
    numbers.append(Number(_("New customers"), figures["new"], before["new"], customer_list(sort="-created"), key="new"))
    chart = Chart(
        "customers-by-status",
        _("Customers by lifecycle status"),
        "pie",
        [labels[status] for status in STATUSES],
        [Series(_("Customers"), [figures["by_status"][status] for status in STATUSES])],
        links=[customer_list(status=status) for status in STATUSES],
    )
    headers = [_("Status"), scope.period.code, scope.period.previous().code]
    rows = [[labels[status], figures["by_status"][status], before["by_status"][status]] for status in STATUSES]
    rows += [[_("Total"), figures["total"], before["total"]], [_("New customers"), figures["new"], before["new"]]]
    today_note = _("The customers in use at the end of the period, by the status they have today.")
    return Presentation(
        numbers=numbers,
        charts=[chart],
        tables=[Table(_("Customers by lifecycle status"), headers, rows, ["", "quantity", "quantity"])],
        list_url=customer_list(),
        note=note_for(scope, today_note if figures["statuses_of_today"] else ""),
    )
