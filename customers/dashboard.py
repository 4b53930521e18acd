"""The customers app on the dashboard (DSH-01): customers by grade and by lifecycle status, churn,
and visit completion. Imported from CustomersConfig.ready().

Every figure is counted over the customers and visits the viewer may see (ORG-02) — a rep their
own, a sales clerk, manager or director their department's, management everything or the chosen
department (by the owner) — in one to four aggregate queries per block whatever the number of
rows: one pass over the scope's customers (grades, statuses, the churn's book), the partial index
of the churned (`customer_churned_idx`), the visits' (planned date, visitor, status, customer)
index joined to the department's customers by `customer_owner_pk_idx` (migration 0009).
"""

from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import User
from crm_project.accounts.pickers import department_reps
from crm_project.accounts.roles import Role
from crm_project.core.navigation import roles
from crm_project.dashboard.blocks import (
    Chart,
    DashboardBlock,
    Number,
    Presentation,
    Series,
    Table,
    blocks,
    days_of,
    list_url,
    share,
)

from .models import Customer, CustomerStatus, Grade, GradeChange, Visit, VisitStatus
from .permissions import SALES_ROLES

GRADES = [grade.value for grade in Grade]
STATUSES = [status.value for status in CustomerStatus]
CHURNED = CustomerStatus.CHURNED
CHURN_REPS = 10  # the reps with most churned customers, on the chart
VISIT_REPS = 15  # the reps with most visits planned, on the chart
VISIT_COLUMNS = ("name", "planned", "completed", "not_completed", "cancelled", "overdue", "rate")
OWNER_NAME = ("username", "last_name", "first_name")
OWNER = ("owner_id", *(f"owner__{column}" for column in OWNER_NAME))

sales_and_management = roles(*SALES_ROLES, Role.MANAGEMENT)


# --- shared pieces ----------------------------------------------------------------------------


def _customers(scope):
    return scope.in_department(scope.visible(Customer), "owner")


def _in_use_at(moment: datetime, prefix: str = "") -> Q:
    """The customers in use at a moment: created before it and not archived by then. A moment
    still to come is now: the customers not archived (the partial indexes' own condition)."""
    if moment > timezone.now():
        return Q(**{f"{prefix}archived_at__isnull": True})
    return Q(**{f"{prefix}created_at__lt": moment}) & (
        Q(**{f"{prefix}archived_at__isnull": True}) | Q(**{f"{prefix}archived_at__gte": moment})
    )


def _counts_by(queryset, column: str, values: list[str], conditions: dict[str, Q]) -> dict[str, dict[str, int]]:
    """One grouped query: for each condition, the rows matching it by `column` (every value
    present, zero when none)."""
    rows = (
        queryset.filter(reduce(or_, conditions.values()))
        .values(column)
        .annotate(**{name: Count("owner", filter=condition) for name, condition in conditions.items()})
        .order_by()
    )
    counts = {name: dict.fromkeys(values, 0) for name in conditions}
    for row in rows:  # one per grade or status
        for name in conditions:
            counts[name][row[column]] = row[name]
    return counts


def _name(row: dict, prefix: str = "") -> str:
    """A person as the lists write them: family name first (张三), else the username."""
    return f"{row[prefix + 'last_name']}{row[prefix + 'first_name']}".strip() or row[prefix + "username"]


def _customer_list(**params) -> str:
    return list_url("customers:customer_list", **params)


def _filterable_owners(scope, rows: list[dict]) -> set[int]:
    """The owners the lists' owner filter accepts for this viewer (their department's active
    reps, every one for management); a link by anyone else would quietly show everybody."""
    ids = [row["owner_id"] for row in rows]
    return set(department_reps(scope.user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def _note(scope, *sentences) -> str:
    """The block's note; with management's department chosen, that the lists are not narrowed
    to it (they filter by owner, not by department)."""
    if scope.department:
        sentences = (*sentences, _("The lists behind the figures show every department."))
    return " ".join(str(sentence) for sentence in sentences if sentence)


# --- 1. customers by grade ----------------------------------------------------------------------


def _grade_changes(scope):
    return scope.in_department(scope.visible(GradeChange), "customer__owner")


def _grades_at(scope, moments: dict[str, datetime]) -> dict[str, dict[str, int]]:
    """The customers in use at each moment by their grade then. Today's grade, except for those
    regraded since: the earliest change after the moment says what their grade was (CUS-03
    keeps every change), counted as one correction per (grade now, grade then)."""
    counts = _counts_by(_customers(scope), "grade", GRADES, {key: _in_use_at(at) for key, at in moments.items()})
    for key, moment in moments.items():
        if moment > timezone.now():
            continue
        changes = _grade_changes(scope)
        first_since = (
            changes.filter(changed_at__gte=moment).order_by("customer_id", "changed_at", "pk").distinct("customer_id")
        )
        corrections = (
            changes.filter(pk__in=first_since.values("pk"))
            .filter(_in_use_at(moment, "customer__"))
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
        Number(_("Customers in use"), figures["total"], before["total"], _customer_list(), key="total"),
        *(
            Number(
                _("Grade %(grade)s") % {"grade": grade},
                figures["by_grade"][grade],
                before["by_grade"][grade],
                _customer_list(grade=grade),
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
        links=[_customer_list(grade=grade) for grade in GRADES],
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
        list_url=_customer_list(),
        note=_note(
            scope, _("Customers in use at the end of each period, by their grade then; the lists show today's.")
        ),
    )


# --- 2. customers by lifecycle status ----------------------------------------------------------


def status_figures(scope) -> dict:
    """By today's status: a status keeps no history of its own, so a past period counts the
    customers in use at its end by the status they have now (`statuses_of_today`)."""
    period, previous = scope.period, scope.period.previous()
    counts = _counts_by(
        _customers(scope),
        "status",
        STATUSES,
        {
            "end": _in_use_at(period.end_at),
            "start": _in_use_at(period.start_at),
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
            _customer_list(status=status),
            key=f"status-{status}",
        )
        for status in STATUSES
    ]
    numbers.append(
        Number(_("New customers"), figures["new"], before["new"], _customer_list(sort="-created"), key="new")
    )
    chart = Chart(
        "customers-by-status",
        _("Customers by lifecycle status"),
        "pie",
        [labels[status] for status in STATUSES],
        [Series(_("Customers"), [figures["by_status"][status] for status in STATUSES])],
        links=[_customer_list(status=status) for status in STATUSES],
    )
    headers = [_("Status"), scope.period.code, scope.period.previous().code]
    rows = [[labels[status], figures["by_status"][status], before["by_status"][status]] for status in STATUSES]
    rows += [[_("Total"), figures["total"], before["total"]], [_("New customers"), figures["new"], before["new"]]]
    today_note = _("The customers in use at the end of the period, by the status they have today.")
    return Presentation(
        numbers=numbers,
        charts=[chart],
        tables=[Table(_("Customers by lifecycle status"), headers, rows, ["", "quantity", "quantity"])],
        list_url=_customer_list(),
        note=_note(scope, today_note if figures["statuses_of_today"] else ""),
    )


# --- 3. churn -----------------------------------------------------------------------------------


def _churned_in(start: datetime, end: datetime) -> Q:
    """Turned churned in [start, end) (the time the database keeps, migration 0009), and not
    archived before it began."""
    return Q(status=CHURNED, churned_at__gte=start, churned_at__lt=end) & ~Q(archived_at__lt=start)


def _in_book(moment: datetime) -> Q:
    """The book at a moment: in use then and not churned before it."""
    return _in_use_at(moment) & ~Q(status=CHURNED, churned_at__lt=moment)


def churn_figures(scope) -> dict:
    """Churned in the period ÷ the book at its start, as a percentage with one decimal."""
    period, previous = scope.period, scope.period.previous()
    customers = _customers(scope)
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
        "by_rep": [{"owner_id": r["owner_id"], "name": _name(r, "owner__"), "churned": r["churned"]} for r in by_rep],
    }


def churn_present(figures: dict, scope) -> Presentation:
    before, reps = figures["previous"], figures["by_rep"]
    churned_list = _customer_list(status=CHURNED)
    filterable = _filterable_owners(scope, reps)
    links = [_customer_list(status=CHURNED, owner=r["owner_id"] if r["owner_id"] in filterable else None) for r in reps]
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
        note=_note(
            scope, _("The rate: customers churned in the period ÷ the customers at its start (not churned before it).")
        ),
    )


# --- 4. visit completion ------------------------------------------------------------------------


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
        row["pk"]: _name(row)
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
    filterable = _filterable_owners(scope, reps)
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
        note=_note(scope, _("The rate: visits completed ÷ visits planned for the period and not cancelled.")),
    )


for block in (
    DashboardBlock(
        "customers_by_grade", _("Customers by grade"), grade_figures, grade_present, sales_and_management, 10
    ),
    DashboardBlock(
        "customers_by_status",
        _("Customers by lifecycle status"),
        status_figures,
        status_present,
        sales_and_management,
        11,
    ),
    DashboardBlock("churn", _("Churn"), churn_figures, churn_present, sales_and_management, 12),
    DashboardBlock("visit_completion", _("Visit completion"), visit_figures, visit_present, sales_and_management, 13),
):
    blocks.add(block)
