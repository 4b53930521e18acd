"""Annual budgets and the spending checked against them (EXP-16).

A budget line is prepared (and, while a draft, corrected) by finance and approved by
management, which locks it; an adjustment goes the same way. What is in force, committed,
spent and remaining is derived from the rows every time (`with_figures`). Every commitment and
spend posts through `post_against_budget`, which locks the line first, so two postings racing
for the last of a budget are checked one after the other."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.accounts.access import may_approve_as_management
from crm_project.accounts.models import Department, User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied

from ..models import (
    COMMITTED_KINDS,
    SPENT_KINDS,
    Budget,
    BudgetAdjustment,
    BudgetEntry,
    BudgetStatus,
    ExpenseCategory,
)
from ..models.common import ZERO, yuan

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


class BudgetExceeded(DomainError):
    """Refused: the budget in force does not cover it (the message says what remains)."""


def _sum_of(queryset: QuerySet) -> Coalesce:
    total = queryset.values("budget").annotate(total=Sum("amount")).values("total")
    return Coalesce(Subquery(total, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD)


def with_figures(queryset: QuerySet) -> QuerySet:
    """Budgets annotated with `in_force` (the original plus the approved adjustments; nothing
    while a draft), `committed`, `spent` and `remaining` — one query, whatever the rows."""
    line = OuterRef("pk")
    adjusted = _sum_of(BudgetAdjustment.objects.filter(budget=line, status=BudgetStatus.APPROVED))
    committed = _sum_of(BudgetEntry.objects.filter(budget=line, kind__in=COMMITTED_KINDS))
    spent = _sum_of(BudgetEntry.objects.filter(budget=line, kind__in=SPENT_KINDS))
    approved_amount = Budget.objects.filter(pk=line, status=BudgetStatus.APPROVED).values("amount")[:1]
    original = Coalesce(Subquery(approved_amount, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD)
    return (
        queryset.annotate(original_in_force=original, adjusted=adjusted, committed=committed, spent=spent)
        .annotate(in_force=F("original_in_force") + F("adjusted"))
        .annotate(remaining=F("in_force") - F("committed") - F("spent"))
    )


@dataclass(frozen=True)
class Figures:
    in_force: Decimal
    committed: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.in_force - self.committed - self.spent


def figures_of(budget: Budget) -> Figures:
    row = with_figures(Budget.objects.filter(pk=budget.pk)).values("in_force", "committed", "spent").get()
    return Figures(row["in_force"], row["committed"], row["spent"])


# --- preparing and approving ------------------------------------------------------------------


def _finance_only(actor: User) -> None:
    if not actor.has_role(Role.FINANCE):
        raise PermissionDenied(_("Only finance prepares budgets and their adjustments."))


def _management_only(actor: User) -> None:
    if not may_approve_as_management(actor, "budget"):
        raise PermissionDenied(_("Only management approves budgets and their adjustments."))


def _amount(value, *, field: str = "amount", negative: bool = False) -> Decimal:
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (ArithmeticError, TypeError, ValueError):
        raise DomainError(_("Enter an amount in yuan."), field=field) from None
    if abs(amount) >= Decimal("1000000000000"):
        raise DomainError(_("This amount is too large."), field=field)
    if negative and amount == 0:
        raise DomainError(_("An adjustment adds or removes something: it cannot be zero."), field=field)
    if not negative and amount < 0:
        raise DomainError(_("A budget cannot be negative."), field=field)
    return amount


def budget_prepare(
    *, actor: User, year: int, department: Department, category: ExpenseCategory, amount, note: str = ""
) -> Budget:
    """Finance drafts a budget line; management approves it (EXP-16)."""
    _finance_only(actor)
    amount = _amount(amount)
    if not 2000 <= int(year) <= 2100:
        raise DomainError(_("Enter a year between 2000 and 2100."), field="year")
    with transaction.atomic():
        if Budget.objects.filter(year=year, department=department, category=category).exists():
            raise DomainError(
                _("%(department)s already has a %(year)s budget for %(category)s: adjust that one.")
                % {"department": department, "year": year, "category": category},
                field="category",
            )
        return Budget.objects.create(
            year=year, department=department, category=category, amount=amount, note=(note or "").strip(),
            prepared_by=actor,
        )  # fmt: skip


def _locked_budget(budget: Budget) -> Budget:
    return Budget.objects.select_for_update().select_related("department", "category").get(pk=budget.pk)


def budget_update(*, actor: User, budget: Budget, amount, note: str = "") -> Budget:
    """Finance corrects a draft; an approved budget is locked (only adjustments change it)."""
    _finance_only(actor)
    amount = _amount(amount)
    with transaction.atomic():
        budget = _locked_budget(budget)
        if budget.is_locked:
            raise DomainError(_("This budget is approved and locked: propose an adjustment instead."))
        budget.amount, budget.note = amount, (note or "").strip()
        budget.save(update_fields=["amount", "note"])
    return budget


def budget_approve(*, actor: User, budget: Budget) -> Budget:
    _management_only(actor)
    with transaction.atomic():
        budget = _locked_budget(budget)
        if budget.is_locked:
            raise DomainError(_("This budget is already approved."))
        budget.status, budget.approved_by, budget.approved_at = BudgetStatus.APPROVED, actor, timezone.now()
        budget.save(update_fields=["status", "approved_by", "approved_at"])
    return budget


def adjustment_prepare(*, actor: User, budget: Budget, amount, reason: str) -> BudgetAdjustment:
    """Finance proposes more (or less) for an approved budget line, saying why."""
    _finance_only(actor)
    amount = _amount(amount, negative=True)
    if not (reason or "").strip():
        raise DomainError(_("Say why the budget is adjusted."), field="reason")
    with transaction.atomic():
        budget = _locked_budget(budget)
        if not budget.is_locked:
            raise DomainError(_("This budget is still a draft: correct its amount instead of adjusting it."))
        return BudgetAdjustment.objects.create(budget=budget, amount=amount, reason=reason.strip(), prepared_by=actor)


def adjustment_approve(*, actor: User, adjustment: BudgetAdjustment) -> BudgetAdjustment:
    """Management approves an adjustment; a cut never goes below what is already used."""
    _management_only(actor)
    with transaction.atomic():
        _locked_budget(adjustment.budget)
        adjustment = BudgetAdjustment.objects.select_for_update().get(pk=adjustment.pk)
        if adjustment.status == BudgetStatus.APPROVED:
            raise DomainError(_("This adjustment is already approved."))
        figures = figures_of(adjustment.budget)
        if figures.remaining + adjustment.amount < 0:
            raise DomainError(
                _("This cut is larger than what remains (%(remaining)s): %(used)s is already committed or spent.")
                % {"remaining": yuan(figures.remaining), "used": yuan(figures.committed + figures.spent)}
            )
        adjustment.status, adjustment.approved_by, adjustment.approved_at = (
            BudgetStatus.APPROVED, actor, timezone.now(),
        )  # fmt: skip
        adjustment.save(update_fields=["status", "approved_by", "approved_at"])
    return adjustment


# --- posting against a budget -----------------------------------------------------------------


@dataclass(frozen=True)
class Posting:
    kind: str
    amount: Decimal


def post_against_budget(
    *, department: Department | None, category: ExpenseCategory, year: int, postings: list[Posting], day: date,
    person: User, posted_by: User, **links,
) -> list[BudgetEntry]:  # fmt: skip
    """Post `postings` to the department's budget line for the year and category, refusing
    (BudgetExceeded, nothing written) what the budget in force does not cover. The line is
    locked first, so concurrent postings are checked one after the other. Must run inside the
    caller's transaction, which a refusal rolls back."""
    increase = sum((posting.amount for posting in postings), ZERO)
    budget = (
        Budget.objects.select_for_update()
        .filter(year=year, department=department, category=category, status=BudgetStatus.APPROVED)
        .first()
    )
    if budget is None:
        if increase <= 0:
            return []  # a release or claw-back where no budget was ever approved changes nothing
        raise BudgetExceeded(
            _("%(department)s has no approved %(year)s budget for %(category)s, so nothing can be spent on it.")
            % {"department": department or _("(no department)"), "year": year, "category": category}
        )
    if increase > 0:
        remaining = figures_of(budget).remaining
        if increase > remaining:
            raise BudgetExceeded(
                _("This would exceed the %(year)s %(category)s budget of %(department)s: %(remaining)s remains, "
                  "%(needed)s is needed. An approved budget adjustment can lift it.")
                % {"year": year, "category": category, "department": department, "remaining": yuan(remaining),
                   "needed": yuan(increase)}
            )  # fmt: skip
    return BudgetEntry.objects.bulk_create(
        BudgetEntry(budget=budget, kind=posting.kind, amount=posting.amount, day=day, person=person,
                    posted_by=posted_by, **links)
        for posting in postings
    )  # fmt: skip
