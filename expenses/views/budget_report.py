"""The year-end report (EXP-16): budget in force, committed, spent and variance per department
and category, each line linking to its entries; monthly spend against the budget as a chart;
the same table as Excel. A constant number of queries whatever the records."""

from django.shortcuts import render
from django.urls import path

from crm_project.core.db_router import reads_from_replica
from crm_project.core.exports import xlsx_response

from ..exports.budgets import BudgetReportExport
from ..forms_budgets import ReportForm
from ..selectors_budgets import budgets_for, chart_data, monthly_spend, report_blocks, this_year
from .budgets import budget_user_or_404


@reads_from_replica()
def budget_report(request):
    budget_user_or_404(request.user)
    form = ReportForm(request.GET or None)
    choices = form.cleaned_data if form.is_valid() else {}
    year = choices.get("year") or this_year()
    lines = budgets_for(request.user).filter(year=year)
    if choices.get("department"):
        lines = lines.filter(department=choices["department"])
    if choices.get("category"):
        lines = lines.filter(category=choices["category"])
    lines = lines.order_by("department__code", "category__order", "category__code")
    rows = list(lines)
    blocks = report_blocks(rows)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(BudgetReportExport(), blocks, user=request.user, query=request.GET.urlencode())
    return render(
        request,
        "expenses/budgets/report.html",
        {"form": form, "year": year, "blocks": blocks, "chart": chart_data(rows, monthly_spend(lines)),
         "query": request.GET.urlencode()},
        status=400 if form.errors else 200,
    )  # fmt: skip


urlpatterns = [path("budgets/report/", budget_report, name="budget_report")]
