"""The rapport-fee budget side of the `fees` block (DSH-01, EXP-16): the approved budget lines of
the period's year the viewer may see, what was spent against them month by month, and
management's view, which is that alone (EXP-13 keeps statements from it)."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm_project.dashboard.blocks import Chart, Number, Presentation, Series, Table, list_url, money
from crm_project.dashboard.blocks import share as percent

from ..models import Budget, BudgetStatus, ExpenseCategory
from ..models.common import ZERO
from ..selectors_budgets import may_open_budgets, monthly_spend
from ..services.budgets import with_figures
from .common import decimal, month_code, own_only


def budget_lines(scope, years: set[int]) -> list[Budget]:
    """The approved rapport-fee budget lines of those years the viewer may see (EXP-16), with
    what is in force, spent and remaining — the figures of the budget pages. None for a rep."""
    if own_only(scope.user):
        return []
    lines = scope.visible(Budget).filter(
        category__code=ExpenseCategory.RAPPORT_FEES, status=BudgetStatus.APPROVED, year__in=years
    )
    if scope.department is not None:
        lines = lines.filter(department=scope.department)
    return list(with_figures(lines).select_related("department").order_by("year", "department__code"))


def budget_of(lines: list[Budget], period) -> dict | None:
    """The year's lines summed, and the period's share of them: in force × months ÷ 12."""
    lines = [line for line in lines if line.year == period.start.year]
    if not lines:
        return None
    in_force = sum((line.in_force for line in lines), ZERO)
    return {
        "year": period.start.year,
        "in_force": in_force,
        "spent": sum((line.spent for line in lines), ZERO),
        "remaining": sum((line.remaining for line in lines), ZERO),
        "period_share": in_force * len(period.months) / 12,
        "monthly_share": in_force / 12,
        "lines": lines,
    }


def spent_by_month(lines: list[Budget], period) -> list[Decimal]:
    """What was spent against those lines in each month of the period (payouts, EXP-11)."""
    of_year = [line.pk for line in lines if line.year == period.start.year]
    if not of_year:
        return [ZERO for _month in period.months]
    spend = monthly_spend(Budget.objects.filter(pk__in=of_year))
    return [spend[month.month - 1] for month in period.months]


def budget_only_figures(scope) -> dict:
    """For management, which reads no statement (EXP-13): the rapport-fee budget lines and what
    was spent against them month by month — the figures of the budget report, nothing else."""
    period, previous = scope.period, scope.period.previous()
    lines = budget_lines(scope, {period.start.year, previous.start.year})
    budget, budget_before = budget_of(lines, period), budget_of(lines, previous)
    spent, spent_before = spent_by_month(lines, period), spent_by_month(lines, previous)
    figures = fee_figures_budget(budget)
    return {
        "spent_in_period": money(sum(spent, ZERO)),
        "budget_share": money(budget["period_share"]) if budget else None,
        "budget_used": percent(sum(spent, ZERO), budget["period_share"]) if budget else None,
        "previous": {
            "spent_in_period": money(sum(spent_before, ZERO)),
            "budget_share": money(budget_before["period_share"]) if budget_before else None,
            "budget_used": percent(sum(spent_before, ZERO), budget_before["period_share"]) if budget_before else None,
        },
        "spent_by_month": [
            {
                "month": month_code(month),
                "spent": money(amount),
                "budget_share": money(budget["monthly_share"]) if budget else None,
            }
            for month, amount in zip(period.months, spent, strict=True)
        ],
        "budget": figures,
    }


def fee_figures_budget(budget: dict | None) -> dict | None:
    if budget is None:
        return None
    return {
        "year": budget["year"],
        "in_force": money(budget["in_force"]),
        "spent": money(budget["spent"]),
        "remaining": money(budget["remaining"]),
        "lines": [
            {
                "id": line.pk,
                "department": line.department.code,
                "department_name": line.department.name,
                "category_id": line.category_id,
                "in_force": money(line.in_force),
                "spent": money(line.spent),
                "remaining": money(line.remaining),
            }
            for line in budget["lines"]
        ],
    }


def budget_url_for(scope, budget: dict) -> str:
    """The budget line's page when there is one line, else the year's rapport-fee lines."""
    if not may_open_budgets(scope.user) or not budget["lines"]:
        return ""
    if len(budget["lines"]) == 1:
        return reverse("expenses:budget_detail", args=[budget["lines"][0]["id"]])
    return list_url(
        "expenses:budget_list",
        year=budget["year"],
        category=budget["lines"][0]["category_id"],
        department=scope.department.pk if scope.department else None,
    )


def budget_numbers(scope, figures: dict, budget_url: str) -> list[Number]:
    budget = figures["budget"]
    return [
        Number(_("Budget %(year)s in force") % {"year": budget["year"]}, budget["in_force"], url=budget_url,
               unit="¥", key="budget"),
        Number(_("Spent against the budget"), budget["spent"], url=budget_url, unit="¥", key="spent"),
        Number(_("Budget remaining"), budget["remaining"], url=budget_url, unit="¥", key="remaining"),
    ]  # fmt: skip


def budget_only_present(figures: dict, scope) -> Presentation:
    """Management's view (EXP-13): spend against the rapport-fee budget, by month."""
    budget, before = figures["budget"], figures["previous"]
    budget_url = budget_url_for(scope, budget) if budget else ""
    numbers = [
        Number(_("Rapport fees paid out in the period"), figures["spent_in_period"], before["spent_in_period"],
               budget_url, "¥", key="spent-in-period"),
    ]  # fmt: skip
    series = [Series(_("Rapport fees paid out"), [float(row["spent"]) for row in figures["spent_by_month"]])]
    if budget:
        numbers.append(Number(_("Paid out against the budget share"), figures["budget_used"], before["budget_used"],
                              unit="%", key="budget-used"))  # fmt: skip
        numbers += budget_numbers(scope, figures, budget_url)
        series.append(Series(_("Budget share"), [float(row["budget_share"]) for row in figures["spent_by_month"]]))
    months = [row["month"] for row in figures["spent_by_month"]]
    chart = Chart("fees-by-month", _("Rapport fees paid out by month, against the budget share"), "bar",
                  months if budget else [], series, unit="¥")  # fmt: skip
    table = Table(
        _("Rapport fees paid out by month"),
        [_("Month"), _("Paid out"), _("Budget share")],
        [[row["month"], decimal(row["spent"]), decimal(row["budget_share"]) if row["budget_share"] else None]
         for row in figures["spent_by_month"]],
        ["", "money", "money"],
    )  # fmt: skip
    tables = [table, *budget_tables(figures)]
    note = _(
        "Statements are fee data (EXP-13): management sees what was paid out against the rapport-fee budget, "
        "not the statements, products or reps behind it."
    )
    return Presentation(numbers=numbers, charts=[chart], tables=tables, list_url=budget_url, note=str(note))


def budget_tables(figures: dict) -> list[Table]:
    tables = []
    if figures["budget"]:
        budget = figures["budget"]
        tables.append(
            Table(
                _("Rapport-fee budget"),
                [_("Year"), _("Department"), _("In force"), _("Spent"), _("Remaining")],
                [
                    [
                        budget["year"],
                        line["department_name"],
                        decimal(line["in_force"]),
                        decimal(line["spent"]),
                        decimal(line["remaining"]),
                    ]
                    for line in budget["lines"]
                ],
                ["", "", "money", "money", "money"],
            )
        )
    return tables
