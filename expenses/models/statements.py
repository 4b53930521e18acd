from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from customers.models import Contact, Customer, Product

from .common import MONEY, QUANTITY, ZERO
from .standards import FeeStandard


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("waiting for the clerk")
    CLERK_SIGNED = "clerk_signed", _("waiting for the manager")
    MANAGER_SIGNED = "manager_signed", _("waiting for finance")
    VALID = "valid", _("valid — signed three times")
    RETURNED = "returned", _("returned to the rep")


class SignerRole(models.TextChoices):
    CLERK = "clerk", _("sales clerk")
    MANAGER = "manager", _("sales manager")
    FINANCE = "finance", _("finance")


class Statement(models.Model):
    """附表1 月客户采购及客情费统计表 with its 附表2 summary: a rep's statement for one month
    (EXP-04 … EXP-08). Once signed three times it is valid and locked."""

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rep"), on_delete=models.PROTECT, related_name="statements"
    )
    month = models.DateField(_("month"), help_text=_("the first day of the month the fees are for"))
    status = models.CharField(
        _("status"), max_length=20, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    cycle = models.PositiveSmallIntegerField(_("review round"), default=1)
    notes = models.TextField(_("notes"), blank=True)
    due_at = models.DateTimeField(_("due"))
    review_due_at = models.DateTimeField(_("review due"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    late_by = models.DurationField(_("late by"), null=True, blank=True)
    valid_at = models.DateTimeField(_("valid since"), null=True, blank=True)
    archived_original_at = models.DateTimeField(_("original filed by finance"), null=True, blank=True)
    archived_original_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("original filed by"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    archived_copy_at = models.DateTimeField(_("copy filed by sales"), null=True, blank=True)
    archived_copy_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("copy filed by"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    written_off_at = models.DateTimeField(_("written off"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly statement 附表1")
        verbose_name_plural = _("monthly statements")
        ordering = ["-month", "rep"]
        constraints = [
            models.UniqueConstraint(fields=["rep", "month"], name="one_statement_per_rep_and_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="statement_month_is_first_day"),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="statement_queue_idx")]

    def __str__(self) -> str:
        return f"{self.rep} · {self.month:%Y-%m}"

    @property
    def is_valid(self) -> bool:
        return self.status == StatementStatus.VALID

    @property
    def is_editable(self) -> bool:
        return self.status in (StatementStatus.DRAFT, StatementStatus.RETURNED)


class StatementLine(models.Model):
    """One customer and product for one purchase month. A line for an earlier purchase month
    carries fees that become payable now the money is collected (EXP-04)."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+")
    purchase_month = models.DateField(_("purchase month"))
    standard = models.ForeignKey(
        FeeStandard, verbose_name=_("fee standard"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    net_quantity = models.DecimalField(_("net quantity"), **QUANTITY)
    net_sales = models.DecimalField(_("net sales 纯销"), **MONEY)
    collected = models.DecimalField(_("collected 回款"), **MONEY)
    fee_per_unit = models.DecimalField(_("fee per unit"), default=ZERO, **MONEY)
    fee = models.DecimalField(_("fee"), **MONEY)
    payable = models.DecimalField(_("payable"), **MONEY)
    blocked = models.BooleanField(_("blocked by an investigation"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "customer__name", "product__code", "purchase_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "customer", "product", "purchase_month"],
                name="one_line_per_customer_product_month",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer} · {self.product} · {self.purchase_month:%Y-%m}"

    @property
    def is_carry_over(self) -> bool:
        return self.purchase_month != self.statement.month


class Allocation(models.Model):
    """A contact person's part of a line's payable fee (EXP-05)."""

    line = models.ForeignKey(StatementLine, on_delete=models.CASCADE, related_name="allocations")
    contact = models.ForeignKey(Contact, verbose_name=_("contact"), on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["line", "-share", "contact__created_at", "contact_id"]
        constraints = [models.UniqueConstraint(fields=["line", "contact"], name="one_allocation_per_contact")]

    def __str__(self) -> str:
        return f"{self.contact} ¥{self.amount}"


class Signature(models.Model):
    """One of the three signatures of a review round (EXP-07). The unique constraint is what
    makes two simultaneous clicks produce one signature."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="signatures")
    cycle = models.PositiveSmallIntegerField(_("review round"))
    role = models.CharField(_("as"), max_length=10, choices=SignerRole.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT)
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["statement", "cycle", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "cycle", "role"], name="one_signature_per_role_and_round"),
            models.UniqueConstraint(fields=["statement", "cycle", "user"], name="nobody_signs_twice_in_a_round"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user}"


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("submitted")
    SIGN = "sign", _("signed")
    RETURN = "return", _("returned")
    ARCHIVE = "archive", _("filed")


class ReviewEvent(models.Model):
    """The statement's review history: every submission, signature and return (EXP-07), and
    the filing of the signed original and of the copy (EXP-08)."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="events")
    cycle = models.PositiveSmallIntegerField(_("review round"))
    action = models.CharField(_("action"), max_length=10, choices=ReviewAction.choices)
    role = models.CharField(_("as"), max_length=10, choices=SignerRole.choices, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        # In the order the steps were taken: by the row's sequence, not by `at`, which a retry,
        # a clock step or a test's travel can repeat or put out of order.
        ordering = ["statement", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.user}"
