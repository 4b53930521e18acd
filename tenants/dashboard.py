"""Tenant requests on the dashboard (DSH-01, TEN-02, TEN-03): the requests logged in the period
and the one before, by category; those that breached their response or resolution standard
(answered or resolved late, or past the target and still not done: selectors.breached); the
requests open now (not yet confirmed by the tenant) and those of them past a target; the average
time from logging to resolution of the requests resolved in the period. For operations and
management (the tenant desk, access_rules.py), over the requests the user may see (ORG-02);
management's department filter is the department a request is assigned to. Two aggregate
queries. Imported from TenantsConfig.ready().
"""

from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm_project.dashboard.blocks import (
    Chart,
    DashboardBlock,
    Number,
    Presentation,
    Scope,
    Series,
    against_previous,
    blocks,
    comparison_table,
    days_of,
    list_url,
    numbers_table,
)
from crm_project.dashboard.periods import Period

from .access_rules import sees_whole_desk
from .models import OPEN_STATUSES, Category, RequestEscalation, Status, TenantRequest
from .selectors import breached, open_breach, resolve_breached, response_breached

COUNTED = ("logged", "breached", "response_breached", "resolution_breached", "resolved")
RESOLUTION = ExpressionWrapper(F("resolved_at") - F("logged_at"), output_field=DurationField())


def _hours(duration: timedelta | None) -> float | None:
    return round(duration.total_seconds() / 3600, 1) if duration is not None else None


def _within(column: str, first: Period, last: Period | None = None) -> Q:
    """`column` from the start of `first` to the end of `last` (of `first` when none)."""
    return Q(**{f"{column}__gte": first.start_at, f"{column}__lt": (last or first).end_at})


def _requests(scope: Scope):
    queryset = scope.visible(TenantRequest)
    if scope.department is not None:
        queryset = queryset.filter(department=scope.department)
    return queryset


def request_figures(scope: Scope) -> dict:
    period, previous = scope.period, scope.period.previous()
    requests = _requests(scope)
    now = timezone.now()
    logged_now, logged_before = _within("logged_at", period), _within("logged_at", previous)
    resolved_now, resolved_before = _within("resolved_at", period), _within("resolved_at", previous)
    # One pass over the two periods' rows, by either date (each served by its index).
    rows = (
        requests.filter(_within("logged_at", previous, period) | _within("resolved_at", previous, period))
        .values("category")
        .annotate(
            logged=Count("pk", filter=logged_now),
            logged_before=Count("pk", filter=logged_before),
            breached=Count("pk", filter=logged_now & breached(now)),
            breached_before=Count("pk", filter=logged_before & breached(now)),
            response_breached=Count("pk", filter=logged_now & response_breached(now)),
            resolution_breached=Count("pk", filter=logged_now & resolve_breached(now)),
            resolved=Count("pk", filter=resolved_now),
            resolved_before=Count("pk", filter=resolved_before),
            time=Avg(RESOLUTION, filter=resolved_now),
            time_before=Avg(RESOLUTION, filter=resolved_before),
        )
        .order_by()
    )
    by_key = {row["category"]: row for row in rows}
    open_now = requests.exclude(status=Status.CONFIRMED).aggregate(
        open=Count("pk"),
        open_breached=Count(
            "pk",
            filter=open_breach(RequestEscalation.Target.RESPONSE, now)
            | open_breach(RequestEscalation.Target.RESOLUTION, now),
        ),
    )
    by_category = [
        {
            "category": category,
            **{key: row[key] for key in COUNTED},
            "average_hours": _hours(row["time"]),
            "previous": {
                "logged": row["logged_before"],
                "breached": row["breached_before"],
                "resolved": row["resolved_before"],
                "average_hours": _hours(row["time_before"]),
            },
        }
        for category in Category.values
        if (row := by_key.get(category))
    ]

    def total(key: str) -> int:
        return sum(row[key] for row in by_key.values())

    def overall(time: str, count: str) -> float | None:
        # The mean over every resolved request: each category's mean weighted by its count.
        parts = [(row[time], row[count]) for row in by_key.values() if row[time] is not None]
        number = sum(n for _average, n in parts)
        return _hours(sum((average * n for average, n in parts), timedelta()) / number) if number else None

    return {
        **{key: total(key) for key in COUNTED},
        "average_hours": overall("time", "resolved"),
        "open": open_now["open"],
        "open_breached": open_now["open_breached"],
        "by_category": by_category,
        "previous": {
            "logged": total("logged_before"),
            "breached": total("breached_before"),
            "resolved": total("resolved_before"),
            "average_hours": overall("time_before", "resolved_before"),
        },
    }


def _list_url(scope: Scope, **params) -> str:
    return list_url("tenants:request_list", department=scope.department and scope.department.pk, **params)


def _logged(period: Period) -> dict:
    return days_of(period, "logged")


# The sheet by category: (header, figure, of the previous period or not).
CATEGORY_COLUMNS = [
    (_("Logged"), "logged", False),
    (_("Logged, previous period"), "logged", True),
    (_("Breached a standard"), "breached", False),
    (_("Breached the response standard"), "response_breached", False),
    (_("Breached the resolution standard"), "resolution_breached", False),
    (_("Resolved"), "resolved", False),
    (_("Average hours to resolve"), "average_hours", False),
    (_("Average hours to resolve, previous period"), "average_hours", True),
]


def _label(category: str) -> str:
    return str(Category(category).label)


def request_present(figures: dict, scope: Scope) -> Presentation:
    period, previous = scope.period, figures["previous"]
    in_period = _logged(period)
    resolved = {"resolved_from": in_period["logged_from"], "resolved_to": in_period["logged_to"]}
    hours = str(pgettext_lazy("time unit", "hours"))
    numbers = [
        Number(_("Tenant requests logged"), figures["logged"], previous=previous["logged"],
               url=_list_url(scope, **in_period), key="logged"),
        Number(_("Breached a standard"), figures["breached"], previous=previous["breached"],
               url=_list_url(scope, breached="true", **in_period), key="breached"),
        Number(_("Resolved"), figures["resolved"], previous=previous["resolved"],
               url=_list_url(scope, **resolved), key="resolved"),
        Number(_("Average hours to resolve"), figures["average_hours"], previous=previous["average_hours"],
               url=_list_url(scope, **resolved), unit=hours, key="average-hours"),
        Number(_("Open now"), figures["open"], url=_list_url(scope, status=list(OPEN_STATUSES)), key="open"),
        Number(_("Open and past a target now"), figures["open_breached"],
               url=_list_url(scope, status=list(OPEN_STATUSES), breached="true"), key="open-breached"),
    ]  # fmt: skip
    rows = figures["by_category"]
    categories = [_label(row["category"]) for row in rows]
    charts = [
        against_previous(
            "tenant-requests-by-category",
            _("Tenant requests by category"),
            categories,
            rows,
            "logged",
            [_list_url(scope, category=row["category"], **in_period) for row in rows],
        ),
        Chart(
            key="tenant-requests-breaches",
            title=_("Standard breaches by category"),
            kind="bar",
            categories=categories,
            series=[
                Series(_("Response standard"), [row["response_breached"] for row in rows]),
                Series(_("Resolution standard"), [row["resolution_breached"] for row in rows]),
            ],
            links=[_list_url(scope, category=row["category"], breached="true", **in_period) for row in rows],
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
        list_url=_list_url(scope, **in_period),
        note=_(
            "Breaches are of the requests logged in the period: answered or resolved after the standard's "
            "time, or past it and not yet done (TEN-03). Hours to resolve run from logging to resolution, for "
            "the requests resolved in the period."
        ),
    )


blocks.add(
    DashboardBlock(
        key="tenant_requests",
        title=_("Tenant requests"),
        figures=request_figures,
        present=request_present,
        visible=sees_whole_desk,
        order=22,
    )
)
