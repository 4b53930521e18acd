"""Excel of the budget list and of the year-end report (EXP-16, DSH-03), from the page's rows."""

from django.utils.translation import gettext_lazy as _

from crm_project.core.exports import Column, Export

FIGURES = [
    Column(_("In force (yuan)"), "in_force", width=16, kind="money"),
    Column(_("Committed (yuan)"), "committed", width=16, kind="money"),
    Column(_("Spent (yuan)"), "spent", width=16, kind="money"),
]


class BudgetExport(Export):
    name = "budgets"
    columns = [
        Column(_("Year"), "year", width=8),
        Column(_("Department"), lambda b: b.department.name, width=16),
        Column(_("Category"), lambda b: b.category.name, width=16),
        Column(_("Budget (yuan)"), "amount", width=16, kind="money"),
        Column(_("Status"), "get_status_display", width=12),
        *FIGURES,
        Column(_("Remaining (yuan)"), "remaining", width=16, kind="money"),
    ]


class BudgetReportExport(Export):
    """Rows: each department's lines, then its total (the lines carry `variance`)."""

    name = "budget-report"
    columns = [
        Column(_("Department"), lambda r: r[0], width=18),
        Column(_("Category"), lambda r: r[1], width=18),
        Column(_("In force (yuan)"), lambda r: r[2], width=16, kind="money"),
        Column(_("Committed (yuan)"), lambda r: r[3], width=16, kind="money"),
        Column(_("Spent (yuan)"), lambda r: r[4], width=16, kind="money"),
        Column(_("Variance (yuan)"), lambda r: r[5], width=16, kind="money"),
    ]

    def objects(self, blocks):
        for block in blocks:
            for line in block.lines:
                yield (block.department.name, line.category.name, line.in_force, line.committed, line.spent,
                       line.variance)  # fmt: skip
            yield (block.department.name, _("Total"), block.in_force, block.committed, block.spent, block.variance)
