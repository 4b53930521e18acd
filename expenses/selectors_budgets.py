"""What the budget pages and the year-end report read (EXP-16), scoped by the access registry
(ORG-02). A line's figures are sums over all its entries — so a rapport-fee line shows its
total to whoever may see the line — while the entries listed under it are only those the
reader may see (EXP-13). Every read is a fixed number of queries, whatever the rows."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from crm_project.accounts.access import visible_to

from .access_rules_budgets import oversees_department, sees_all_expenses
from .models import SPENT_KINDS, Budget, BudgetEntry
from .models.common import ZERO
from .services.budgets import with_figures


def may_open_budgets(user) -> bool:
    return user.is_authenticated and (user.is_superuser or sees_all_expenses(user) or oversees_department(user))


def budgets_for(user) -> QuerySet:
    return with_figures(visible_to(user, Budget)).select_related("department", "category")


def this_year() -> int:
    return timezone.localdate().year


@dataclass
class DepartmentBlock:
    department: object
    lines: list = field(default_factory=list)

    def total(self, name: str) -> Decimal:
        return sum((getattr(line, name) for line in self.lines), ZERO)

    @property
    def in_force(self) -> Decimal:
        return self.total("in_force")

    @property
    def committed(self) -> Decimal:
        return self.total("committed")

    @property
    def spent(self) -> Decimal:
        return self.total("spent")

    @property
    def variance(self) -> Decimal:
        return self.in_force - self.committed - self.spent


def report_blocks(lines: list[Budget]) -> list[DepartmentBlock]:
    """The report's lines grouped per department, in the order given."""
    blocks: dict[int, DepartmentBlock] = {}
    for line in lines:
        line.variance = line.in_force - line.committed - line.spent
        blocks.setdefault(line.department_id, DepartmentBlock(line.department)).lines.append(line)
    return list(blocks.values())


def monthly_spend(lines: QuerySet) -> list[Decimal]:
    """Spend per month (1–12) over the given budget lines, in one GROUP BY."""
    months = defaultdict(lambda: ZERO)
    rows = (
        BudgetEntry.objects.filter(budget__in=lines.values("pk"), kind__in=SPENT_KINDS)
        .annotate(month=ExtractMonth("day"))
        .values("month")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        months[row["month"]] = row["total"]
    return [months[month] for month in range(1, 13)]


def chart_data(lines: list[Budget], spend: list[Decimal]) -> dict:
    in_force = sum((line.in_force for line in lines), ZERO)
    cumulative, running = [], ZERO
    for amount in spend:
        running += amount
        cumulative.append(float(running))
    return {
        "months": [f"{month:02d}" for month in range(1, 13)],
        "spend": [float(amount) for amount in spend],
        "cumulative": cumulative,
        "in_force": float(in_force),
    }


def entries_shown(user, budget: Budget) -> tuple[QuerySet, int]:
    """The entries of a line the user may see, and how many others are counted in its
    total only (another rep's rapport fees, EXP-13)."""
    shown = visible_to(user, BudgetEntry).filter(budget=budget)
    hidden = BudgetEntry.objects.filter(budget=budget).count() - shown.count()
    return (
        shown.select_related("person", "application", "claim", "posted_by").order_by("-day", "-pk"),
        hidden,
    )
