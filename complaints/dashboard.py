"""Complaints on the dashboard (DSH-01, CMP-04, CMP-05): the complaints received in the period
and the one before, by category; the average time from receipt to closing, by category, of
the complaints closed in the period; the complaints open now and those past a target. For
management, customer service and the heads of a department (who may open the report), over the
complaints the user may see (ORG-02); management's department filter is the complaint's
responsible department. Three aggregate queries. Imported from ComplaintsConfig.ready().
"""

from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm_project.dashboard.blocks import (
    DashboardBlock,
    Number,
    Presentation,
    Scope,
    against_previous,
    blocks,
    comparison_table,
    days_of,
    list_url,
    numbers_table,
)
from crm_project.dashboard.periods import Period

from .models import Complaint, ComplaintCategory, ComplaintStatus
from .permissions import can_view_report
from .selectors import overdue, response_breached, solution_breached

UNCLASSIFIED = "none"  # the list filter's value for a complaint without a category
RESOLUTION = ExpressionWrapper(F("closed_at") - F("received_at"), output_field=DurationField())


def _days(duration: timedelta | None) -> float | None:
    return round(duration.total_seconds() / 86400, 1) if duration is not None else None


def _complaints(scope: Scope):
    queryset = scope.visible(Complaint)
    if scope.department is not None:
        queryset = queryset.filter(department=scope.department)
    return queryset


def complaint_figures(scope: Scope) -> dict:
    period, previous = scope.period, scope.period.previous()
    complaints = _complaints(scope)
    in_current = Q(received_at__gte=period.start_at)
    received = {
        row["category"] or UNCLASSIFIED: row
        for row in complaints.filter(received_at__gte=previous.start_at, received_at__lt=period.end_at)
        .values("category")
        .annotate(current=Count("pk", filter=in_current), before=Count("pk", filter=~in_current))
        .order_by()
    }
    closed_now = Q(closed_at__gte=period.start_at)
    closed = {
        row["category"] or UNCLASSIFIED: row
        for row in complaints.filter(
            status=ComplaintStatus.CLOSED, closed_at__gte=previous.start_at, closed_at__lt=period.end_at
        )
        .values("category")
        .annotate(
            current=Count("pk", filter=closed_now),
            before=Count("pk", filter=~closed_now),
            current_resolution=Avg(RESOLUTION, filter=closed_now),
            before_resolution=Avg(RESOLUTION, filter=~closed_now),
        )
        .order_by()
    }
    now = timezone.now()
    open_now = complaints.exclude(status=ComplaintStatus.CLOSED).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=overdue(now)),
        response_overdue=Count("pk", filter=response_breached(now)),
        solution_overdue=Count("pk", filter=solution_breached(now)),
    )
    order = [*ComplaintCategory.values, UNCLASSIFIED]
    by_category = []
    for category in order:
        if category not in received and category not in closed:
            continue
        got, done = received.get(category, {}), closed.get(category, {})
        by_category.append(
            {
                "category": category,
                "received": got.get("current", 0),
                "closed": done.get("current", 0),
                "average_days": _days(done.get("current_resolution")),
                "previous": {
                    "received": got.get("before", 0),
                    "closed": done.get("before", 0),
                    "average_days": _days(done.get("before_resolution")),
                },
            }
        )

    def overall(which: str) -> float | None:
        # The mean over every closed complaint: each category's mean weighted by its count.
        rows = [(row[f"{which}_resolution"], row[which]) for row in closed.values() if row[f"{which}_resolution"]]
        count = sum(n for _average, n in rows)
        return _days(sum((average * n for average, n in rows), timedelta()) / count) if count else None

    return {
        "received": sum(row["current"] for row in received.values()),
        "closed": sum(row["current"] for row in closed.values()),
        "average_days": overall("current"),
        "open": open_now["open"],
        "overdue": open_now["overdue"],
        "response_overdue": open_now["response_overdue"],
        "solution_overdue": open_now["solution_overdue"],
        "by_category": by_category,
        "previous": {
            "received": sum(row["before"] for row in received.values()),
            "closed": sum(row["before"] for row in closed.values()),
            "average_days": overall("before"),
        },
    }


def _list_url(scope: Scope, **params) -> str:
    return list_url("complaints:complaint_list", department=scope.department and scope.department.pk, **params)


def _received(period: Period) -> dict:
    return days_of(period, "received")


def _closed(period: Period) -> dict:
    return {"status": ComplaintStatus.CLOSED, **days_of(period, "closed")}


def report_url(period: Period) -> str:
    """The complaint report (CMP-05) over the period's months."""
    months = {"start": f"{period.start:%Y-%m}", "end": f"{period.last_month:%Y-%m}"}
    return f"{reverse('complaints:complaint_report')}?{urlencode(months)}"


# The sheet by category: (header, figure, of the previous period or not).
CATEGORY_COLUMNS = [
    (_("Received"), "received", False),
    (_("Received, previous period"), "received", True),
    (_("Closed"), "closed", False),
    (_("Average days to close"), "average_days", False),
    (_("Average days to close, previous period"), "average_days", True),
]


def _label(category: str) -> str:
    return str(_("not yet classified")) if category == UNCLASSIFIED else str(ComplaintCategory(category).label)


def complaint_present(figures: dict, scope: Scope) -> Presentation:
    period, previous = scope.period, figures["previous"]
    days = str(pgettext_lazy("time unit", "days"))
    numbers = [
        Number(_("Complaints received"), figures["received"], previous=previous["received"],
               url=_list_url(scope, **_received(period)), key="received"),
        Number(_("Complaints closed"), figures["closed"], previous=previous["closed"],
               url=_list_url(scope, **_closed(period)), key="closed"),
        Number(_("Average days to close"), figures["average_days"], previous=previous["average_days"],
               url=_list_url(scope, **_closed(period)), unit=days, key="average-days"),
        Number(_("Complaints open now"), figures["open"], url=_list_url(scope, open="on"), key="open"),
        Number(_("Overdue now"), figures["overdue"], url=_list_url(scope, overdue="on"), key="overdue"),
    ]  # fmt: skip
    rows = figures["by_category"]
    categories = [_label(row["category"]) for row in rows]
    charts = [
        against_previous(
            "complaints-by-category",
            _("Complaints received by category"),
            categories,
            rows,
            "received",
            [_list_url(scope, category=row["category"], **_received(period)) for row in rows],
        ),
        against_previous(
            "complaints-days-to-close",
            _("Average days to close by category"),
            categories,
            rows,
            "average_days",
            [_list_url(scope, category=row["category"], **_closed(period)) for row in rows],
        ),
    ]
    tables = [
        numbers_table(numbers),
        comparison_table(_("By category"), _("Category"), categories, rows, CATEGORY_COLUMNS),
    ]
    return Presentation(
        numbers=numbers,
        charts=charts,
        tables=tables,
        list_url=report_url(period),
        note=_(
            "Days to close run from receipt to closing, for the complaints closed in the period; overdue: a first "
            "response or solution target passed and not met (CMP-04)."
        ),
    )


blocks.add(
    DashboardBlock(
        key="complaints",
        title=_("Complaints"),
        figures=complaint_figures,
        present=complaint_present,
        visible=can_view_report,
        order=21,
    )
)
