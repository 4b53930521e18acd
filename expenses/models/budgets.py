"""Annual budgets 年度预算 (EXP-16): one per year, department and expense category, prepared by
finance and approved by management; adjustments go the same way. What is committed, spent and
remaining is never stored: it is the sum of the budget's entries (EXP-03)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm_project.accounts.models import Department
from crm_project.core.models import SettingsRow

from .common import MONEY

_USER = {"on_delete": models.PROTECT, "null": True, "blank": True, "related_name": "+"}


class ExpenseCategory(models.Model):
    """An expense category 费用类别 — an editable list; the codes are the API's."""

    RAPPORT_FEES = "rapport_fees"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    meal_cap_applies = models.BooleanField(
        _("business meals: the per-person cap applies"), default=False,
        help_text=_("An application above the cap per person needs the department head and the general manager."),
    )  # fmt: skip
    applications = models.BooleanField(
        _("spent through applications and claims"), default=True,
        help_text=_("Off for rapport fees, whose spending is the payouts of the fee process."),
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expense category 费用类别")
        verbose_name_plural = _("expense categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")


class Budget(models.Model):
    """The budget line of one department and category for one year. Locked once approved:
    only an approved adjustment changes what is in force."""

    year = models.PositiveSmallIntegerField(_("year"))
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="budgets"
    )
    category = models.ForeignKey(
        ExpenseCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="budgets"
    )
    amount = models.DecimalField(_("budget (yuan)"), **MONEY)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=BudgetStatus.choices, default=BudgetStatus.DRAFT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), **_USER)
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), **_USER)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget 预算")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "department__code", "category__order", "category__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "department", "category"], name="budget_one_per_line"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.department} · {self.category}"

    @property
    def is_locked(self) -> bool:
        return self.status == BudgetStatus.APPROVED


class BudgetAdjustment(models.Model):
    """More or less for a budget line, with a reason (EXP-16); in force once management
    approves it. The history of a line is its adjustments."""

    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="adjustments")
    amount = models.DecimalField(_("adjustment (yuan)"), **MONEY)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=BudgetStatus.choices, default=BudgetStatus.DRAFT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), **_USER)
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), **_USER)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget adjustment 预算调整")
        verbose_name_plural = _("budget adjustments")
        ordering = ["-prepared_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="budget_adjustment_not_zero")]

    def __str__(self) -> str:
        return f"{self.budget} {self.amount:+}"


class BudgetEntryKind(models.TextChoices):
    COMMITMENT = "commitment", _("committed (application approved)")
    RELEASE = "release", _("commitment released")
    SPEND = "spend", _("spent (claim accepted)")
    RAPPORT_FEE = "rapport_fee", _("spent (rapport-fee payout)")


COMMITTED_KINDS = (BudgetEntryKind.COMMITMENT, BudgetEntryKind.RELEASE)
SPENT_KINDS = (BudgetEntryKind.SPEND, BudgetEntryKind.RAPPORT_FEE)


class BudgetEntry(models.Model):
    """An immutable posting against a budget line (EXP-03, EXP-16): an application's
    commitment and its release, a claim's spend, a rapport-fee payout. A database trigger
    refuses UPDATE and DELETE."""

    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=20, choices=BudgetEntryKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    day = models.DateField(_("date"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("for"), on_delete=models.PROTECT, related_name="+"
    )  # the applicant, or the rep whose fees were paid (EXP-13 hides those from others)
    application = models.ForeignKey("expenses.ExpenseApplication", verbose_name=_("application"), **_USER)
    claim = models.ForeignKey("expenses.ExpenseClaim", verbose_name=_("claim"), **_USER)
    ledger_entry = models.OneToOneField("expenses.LedgerEntry", verbose_name=_("ledger entry"), **_USER)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("posted by"), on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget entry")
        verbose_name_plural = _("budget entries")
        ordering = ["-day", "-pk"]
        # The amount rides in the index, so a line's sums and the monthly chart read the index
        # alone (an index-only scan: about half the time of the year-end report at 50,000 rows).
        indexes = [models.Index(fields=["budget", "kind", "day"], include=["amount"], name="budget_entry_figures_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class ExpenseSettings(SettingsRow):
    """The figures of EXP-17 an administrator may change."""

    meal_cap_per_person = models.DecimalField(
        _("business meal cap per person (yuan)"), default=Decimal("200.00"), **MONEY
    )
    claim_working_days = models.PositiveSmallIntegerField(_("claims due within (working days after the event)"),
                                                          default=7)  # fmt: skip
    claim_reminder_working_days = models.PositiveSmallIntegerField(
        _("remind the applicant (working days before the claim deadline)"), default=2
    )
    receipt_max_mb = models.PositiveSmallIntegerField(_("largest receipt file (MB)"), default=10)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expense settings")
        verbose_name_plural = _("expense settings")

    def __str__(self) -> str:
        return str(_("Expense settings"))
