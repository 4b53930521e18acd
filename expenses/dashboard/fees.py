"""The rapport fees of the period against the budget (DSH-01, EXP-04, EXP-16).

The fee of a month is the payable fee (StatementLine.payable: the fee × the part collected,
EXP-04) of the statements handed in for that month — COUNTED below — by statement month, by
product (from the lines) and by rep (the 15 highest). Against it: the approved rapport-fee
budget in force for the period's year, of the departments the viewer may see, with what is
spent against it (payouts, EXP-11) and what remains, and the period's share of it.
"""

from datetime import date

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.pickers import fee_reps
from crm_project.dashboard.blocks import Chart, Number, Presentation, Series, Table, list_url, money
from crm_project.dashboard.blocks import share as percent
from customers.models import Product

from ..models import LedgerAccount, Statement, StatementLine, StatementStatus
from ..models.common import ZERO
from .budget import (
    budget_lines,
    budget_numbers,
    budget_of,
    budget_only_figures,
    budget_only_present,
    budget_tables,
    budget_url_for,
    fee_figures_budget,
)
from .common import decimal, department_name, month_code, own_only, person_name, reads_statements

Status = StatementStatus
# The fees of a month are those the reps have handed in: submitted, in review or valid. A
# draft is still the rep's to change and a returned statement is back with the rep, so
# neither claims anything yet; only a valid one is paid (EXP-07), shown as its own figure.
COUNTED = (Status.SUBMITTED, Status.CLERK_SIGNED, Status.MANAGER_SIGNED, Status.VALID)
TOP = 15  # products and reps on the charts; the rest are summed as "others"
REP = ("rep_id", "rep__username", "rep__last_name", "rep__first_name", "rep__department__name_zh",
       "rep__department__name_en")  # fmt: skip


def _one_month(period) -> str | None:
    """The `?month=` of the lists for a month period; a quarter or a year has none."""
    return month_code(period.start) if len(period.months) == 1 else None


def _counted(scope, queryset, start: date, end: date, prefix: str = ""):
    """The statements (or lines, with prefix "statement__") counted for [start, end)."""
    queryset = queryset.filter(
        **{f"{prefix}month__gte": start, f"{prefix}month__lt": end, f"{prefix}status__in": COUNTED}
    )
    queryset = scope.in_department(queryset, f"{prefix}rep")
    return queryset.filter(**{f"{prefix}rep": scope.user}) if own_only(scope.user) else queryset


def _fees_by_month(scope, period, previous) -> dict[date, dict]:
    """Statements, payable fees and the valid part per statement month, for the period and the
    one before it (adjacent, so one grouped query of the lines and one of the statements: a
    hash aggregate each, where one query counting distinct statements would sort every line)."""
    start, end = previous.start, period.end
    months = {
        row["month"]: {**row, "payable": ZERO, "valid": ZERO}
        for row in _counted(scope, scope.visible(Statement), start, end)
        .values("month")
        .annotate(statements=Count("pk"))
        .order_by()
    }
    sums = (
        _counted(scope, scope.visible(StatementLine), start, end, "statement__")
        .values("statement__month")
        .annotate(total=Sum("payable"), total_valid=Sum("payable", filter=Q(statement__status=Status.VALID)))
        .order_by()
    )
    for row in sums:  # one per month
        months[row["statement__month"]].update(payable=row["total"], valid=row["total_valid"] or ZERO)
    return months


def _totals(months: dict[date, dict], period) -> dict:
    rows = [months[month] for month in period.months if month in months]
    return {
        "statements": sum(row["statements"] for row in rows),
        "payable": sum((row["payable"] for row in rows), ZERO),
        "valid": sum((row["valid"] for row in rows), ZERO),
    }


def fee_figures(scope) -> dict:
    """The payable rapport fees (StatementLine.payable: the fee × the part collected, EXP-04)
    of the statements handed in for the months of the period (COUNTED), by statement month,
    product and rep (the top 15), against the rapport-fee budget of the period's year."""
    if not reads_statements(scope.user):
        return budget_only_figures(scope)
    period, previous = scope.period, scope.period.previous()
    months = _fees_by_month(scope, period, previous)
    lines = _counted(scope, scope.visible(StatementLine), period.start, period.end, "statement__")
    products = list(
        lines.values("product_id")
        .annotate(total=Sum("payable"), total_fee=Sum("fee"))
        .order_by("-total", "product_id")[:TOP]
    )
    # Names and ledger accounts of those few, apart: grouping by them would carry them through
    # every line (and a subquery per line).
    account = LedgerAccount.objects.filter(product=OuterRef("pk")).values("pk")[:1]
    named = (
        Product.objects.filter(pk__in=[row["product_id"] for row in products])
        .annotate(account_id=Subquery(account))
        .values("pk", "code", "name", "account_id")
    )
    products_by_id = {row["pk"]: row for row in named}
    reps = list(
        lines.values("statement__rep_id").annotate(total=Sum("payable")).order_by("-total", "statement__rep_id")[:TOP]
    )
    people = {
        row["rep_id"]: row
        for row in _counted(scope, scope.visible(Statement), period.start, period.end)
        .filter(rep_id__in=[row["statement__rep_id"] for row in reps])
        .values(*REP)
        .annotate(statements=Count("pk"))
        .order_by()
    }
    lines_of_budget = budget_lines(scope, {period.start.year, previous.start.year})
    now, before = _totals(months, period), _totals(months, previous)
    budget, budget_before = budget_of(lines_of_budget, period), budget_of(lines_of_budget, previous)
    return {
        "statuses": [str(status) for status in COUNTED],
        "payable": money(now["payable"]),
        "valid": money(now["valid"]),
        "statements": now["statements"],
        "budget_share": money(budget["period_share"]) if budget else None,
        "budget_used": percent(now["payable"], budget["period_share"]) if budget else None,
        "previous": {
            "payable": money(before["payable"]),
            "valid": money(before["valid"]),
            "statements": before["statements"],
            "budget_share": money(budget_before["period_share"]) if budget_before else None,
            "budget_used": percent(before["payable"], budget_before["period_share"]) if budget_before else None,
        },
        "by_month": [
            {
                "month": month_code(month),
                "statements": months.get(month, {}).get("statements", 0),
                "payable": money(months.get(month, {}).get("payable", ZERO)),
                "valid": money(months.get(month, {}).get("valid", ZERO)),
                "budget_share": money(budget["monthly_share"]) if budget else None,
            }
            for month in period.months
        ],
        "by_product": [
            {
                "product_id": row["product_id"],
                "code": products_by_id[row["product_id"]]["code"],
                "name": products_by_id[row["product_id"]]["name"],
                "payable": money(row["total"]),
                "fee": money(row["total_fee"]),
                "account_id": products_by_id[row["product_id"]]["account_id"],
            }
            for row in products
        ],
        "other_products": money(now["payable"] - sum((row["total"] for row in products), ZERO)),
        "by_rep": [
            {
                "rep_id": row["statement__rep_id"],
                "name": person_name(people[row["statement__rep_id"]]),
                "department": department_name(people[row["statement__rep_id"]], "rep__department__"),
                "statements": people[row["statement__rep_id"]]["statements"],
                "payable": money(row["total"]),
            }
            for row in reps
        ],
        "other_reps": money(now["payable"] - sum((row["total"] for row in reps), ZERO)),
        "budget": fee_figures_budget(budget),
    }


def _fee_rep_links(scope, rows: list[dict], month: str | None) -> dict[int, str]:
    """The statement list of each rep its rep filter accepts (the reps whose fee data the
    viewer may see); a rep it refused would quietly list everyone."""
    ids = [row["rep_id"] for row in rows]
    accepted = set(fee_reps(scope.user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    return {rep: list_url("expenses:statement_list", rep=rep, month=month) for rep in accepted}


def fee_present(figures: dict, scope) -> Presentation:
    if "payable" not in figures:
        return budget_only_present(figures, scope)
    month = _one_month(scope.period)
    before = figures["previous"]
    statements_url = list_url("expenses:statement_list", month=month)
    numbers = [
        Number(_("Rapport fees payable"), figures["payable"], before["payable"], statements_url, "¥", key="payable"),
        Number(
            _("Of which on valid statements"),
            figures["valid"],
            before["valid"],
            list_url("expenses:statement_list", month=month, status=Status.VALID),
            "¥",
            key="valid",
        ),
        Number(_("Statements"), figures["statements"], before["statements"], statements_url, key="statements"),
    ]
    budget = figures["budget"]
    budget_url = budget_url_for(scope, budget) if budget else ""
    if budget:
        numbers += [
            Number(
                _("Budget share of the period"),
                figures["budget_share"],
                before["budget_share"],
                budget_url,
                "¥",
                key="budget-share",
            ),
            Number(
                _("Fees against the budget share"),
                figures["budget_used"],
                before["budget_used"],
                unit="%",
                key="budget-used",
            ),
            *budget_numbers(scope, figures, budget_url),
        ]
    by_month = figures["by_month"]
    month_series = [Series(_("Rapport fees payable"), [float(row["payable"]) for row in by_month])]
    if budget:
        month_series.append(Series(_("Budget share"), [float(row["budget_share"]) for row in by_month]))
    products, reps = figures["by_product"], figures["by_rep"]
    product_names = [row["name"] for row in products]
    product_values = [float(row["payable"]) for row in products]
    product_links = [
        list_url("expenses:ledger", account=row["account_id"], kind="accrual", month=month) if row["account_id"] else ""
        for row in products
    ]
    if products and decimal(figures["other_products"]) > 0:
        product_names.append(_("Other products"))
        product_values.append(float(figures["other_products"]))
        product_links.append("")
    rep_links = _fee_rep_links(scope, reps, month)
    rep_names = [row["name"] for row in reps]
    rep_values = [float(row["payable"]) for row in reps]
    rep_urls = [rep_links.get(row["rep_id"], "") for row in reps]
    if reps and decimal(figures["other_reps"]) > 0:
        rep_names.append(_("Other reps"))
        rep_values.append(float(figures["other_reps"]))
        rep_urls.append("")
    anything = budget or any(decimal(row["payable"]) for row in by_month)
    charts = [
        Chart(
            "fees-by-month",
            _("Rapport fees by statement month, against the budget share"),
            "bar",
            [row["month"] for row in by_month] if anything else [],
            month_series,
            links=[list_url("expenses:statement_list", month=row["month"]) for row in by_month],
            unit="¥",
        ),
        Chart(
            "fees-by-product",
            _("Rapport fees by product"),
            "pie",
            product_names,
            [Series(_("Rapport fees payable"), product_values)],
            links=product_links,
            unit="¥",
        ),
        Chart(
            "fees-by-rep",
            _("Rapport fees by rep (top %(count)s)") % {"count": TOP},
            "bar",
            rep_names,
            [Series(_("Rapport fees payable"), rep_values)],
            links=rep_urls,
            unit="¥",
        ),
    ]
    return Presentation(
        numbers=numbers,
        charts=charts,
        tables=_fee_tables(figures),
        list_url=statements_url,
        note=" ".join(
            filter(
                None,
                [
                    str(
                        _(
                            "The payable fees of the statements handed in for each month (submitted, in review or "
                            "valid); a month's statements are filed in the first working days of the next month."
                        )
                    ),
                    str(_("The budget share is the budget in force × the period's months ÷ 12.")) if budget else "",
                ],
            )
        ),
    )


def _fee_tables(figures: dict) -> list[Table]:
    payable = decimal(figures["payable"])
    months = [
        [
            row["month"],
            row["statements"],
            decimal(row["payable"]),
            decimal(row["valid"]),
            decimal(row["budget_share"]) if row["budget_share"] else None,
            percent(decimal(row["payable"]), decimal(row["budget_share"])) if row["budget_share"] else None,
        ]
        for row in figures["by_month"]
    ]
    products = [
        [
            row["code"],
            row["name"],
            decimal(row["fee"]),
            decimal(row["payable"]),
            percent(decimal(row["payable"]), payable),
        ]
        for row in figures["by_product"]
    ]
    if decimal(figures["other_products"]) > 0:
        products.append(["", _("Other products"), None, decimal(figures["other_products"]), None])
    reps = [[row["name"], row["department"], row["statements"], decimal(row["payable"])] for row in figures["by_rep"]]
    if decimal(figures["other_reps"]) > 0:
        reps.append([_("Other reps"), "", None, decimal(figures["other_reps"])])
    tables = [
        Table(
            _("Rapport fees by month"),
            [
                _("Month"),
                _("Statements"),
                _("Payable"),
                _("Of which valid"),
                _("Budget share"),
                _("Share of the budget share (%)"),
            ],
            months,
            ["", "quantity", "money", "money", "money", ""],
        ),
        Table(
            _("Rapport fees by product"),
            [_("Code"), _("Product"), _("Fee"), _("Payable"), _("Share of payable (%)")],
            products,
            ["", "", "money", "money", ""],
        ),
        Table(
            _("Rapport fees by rep"),
            [_("Rep"), _("Department"), _("Statements"), _("Payable")],
            reps,
            ["", "", "quantity", "money"],
        ),
    ]
    return tables + budget_tables(figures)
