from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from customers.models import Contact, Customer, Product

from .common import MONEY


class LedgerAccount(models.Model):
    """One account per product: "客户关系维护费——<product>" (EXP-03)."""

    product = models.OneToOneField(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("account"), max_length=150, unique=True)

    class Meta:
        verbose_name = _("ledger account 科目")
        verbose_name_plural = _("ledger accounts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EntryKind(models.TextChoices):
    ACCRUAL = "accrual", _("accrual 计提")
    ADVANCE = "advance", _("advance 借支")
    PAYOUT = "payout", _("payout 兑付")
    WRITE_OFF = "write_off", _("write-off 核销")
    CLAW_BACK = "claw_back", _("claw-back 追回")
    SPECIAL_FEE = "special_fee", _("new-customer special fee")


class LedgerEntry(models.Model):
    """An immutable posting (EXP-03): balances, outstanding advances and totals are sums of
    entries. A database trigger refuses UPDATE and DELETE; corrections are new entries."""

    account = models.ForeignKey(
        LedgerAccount,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    month = models.DateField(_("fee month"))
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("rep"), on_delete=models.PROTECT, related_name="+")
    statement = models.ForeignKey(
        "expenses.Statement", verbose_name=_("statement"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="ledger_entries",
    )  # fmt: skip
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    advance = models.ForeignKey(
        "expenses.Advance", verbose_name=_("advance"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="ledger_entries",
    )  # fmt: skip
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("posted by"), on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ledger entry 分录")
        verbose_name_plural = _("ledger entries")
        ordering = ["-posted_at", "-pk"]
        indexes = [
            models.Index(fields=["rep", "kind"], name="ledger_rep_kind_idx"),
            models.Index(fields=["account", "month"], name="ledger_account_month_idx"),
            models.Index(fields=["statement", "kind"], name="ledger_statement_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
