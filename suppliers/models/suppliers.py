from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Stage(models.TextChoices):
    """SUP-02, in order; `rejected` can follow any stage before `active`."""

    CANDIDATE = "candidate", _("candidate registered")
    GENERAL_SURVEY = "general_survey", _("general survey")
    ONSITE_SURVEY = "onsite_survey", _("on-site survey")
    APPROVAL = "approval", _("approval application")
    APPROVED = "approved", pgettext_lazy("supplier stage", "approved")
    CONTRACTED = "contracted", _("contracts signed")
    ACTIVE = "active", pgettext_lazy("supplier stage", "active")
    REJECTED = "rejected", pgettext_lazy("supplier stage", "rejected")


STAGE_ORDER: list[str] = [
    Stage.CANDIDATE,
    Stage.GENERAL_SURVEY,
    Stage.ONSITE_SURVEY,
    Stage.APPROVAL,
    Stage.APPROVED,
    Stage.CONTRACTED,
    Stage.ACTIVE,
]
IN_PROGRESS = tuple(STAGE_ORDER[:-1])


class Source(models.TextChoices):
    REFERRAL = "referral", _("referral")
    EXHIBITION = "exhibition", _("trade fair")
    INTERNET = "internet", _("internet search")
    TENDER = "tender", _("tender")
    APPROACHED = "approached", _("approached us")
    OTHER = "other", _("other")


class Supplier(models.Model):
    """A supplier's file 供应商档案, from candidate to active (SUP-02 … SUP-07)."""

    name = models.CharField(_("company name"), max_length=200)
    # The name with spaces, punctuation and the legal form taken off (suppliers/identity.py):
    # "华盛（深圳）科技有限公司" and "华盛(深圳)科技 有限公司" are one company.
    name_key = models.CharField(_("normalised name"), max_length=200, editable=False)
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    legal_representative = models.CharField(_("legal representative"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    goods = models.TextField(_("goods or services offered"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.OTHER)
    source_note = models.CharField(_("source details"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.CANDIDATE)
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    previous = models.ForeignKey(
        "self", verbose_name=_("earlier file"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="later_registrations", help_text=_("the rejected file of the same company"),
    )  # fmt: skip

    # General survey (SUP-03)
    interview_notes = models.TextField(
        _("interview with the candidate's manager"), blank=True,
        help_text=_("production, business policy, how they see our company"),
    )  # fmt: skip
    technical_meeting_notes = models.TextField(
        _("technical meeting"), blank=True,
        help_text=_("the candidate's technical lead with our technical and quality departments"),
    )  # fmt: skip

    # Approval application (SUP-05)
    trading_reasons = models.TextField(_("reasons for trading"), blank=True)
    trading_policy = models.TextField(_("basic trading policy"), blank=True)
    application_submitted_at = models.DateTimeField(_("application submitted at"), null=True, blank=True)
    application_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("application submitted by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decision_comment = models.TextField(_("decision comment"), blank=True)

    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejected_reason = models.TextField(_("reason for rejection"), blank=True)
    rejected_from = models.CharField(_("rejected at stage"), max_length=20, choices=Stage.choices, blank=True)

    # Activation (SUP-07)
    code = models.CharField(_("supplier code"), max_length=40, unique=True, null=True, blank=True)
    payment_terms = models.CharField(_("payment terms"), max_length=300, blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("activated by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspension_reason = models.TextField(_("reason for suspension"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supplier 供应商")
        verbose_name_plural = _("suppliers")
        ordering = ["-registered_at", "-pk"]
        indexes = [
            models.Index(fields=["stage", "registered_at"], name="supplier_stage_idx"),
            models.Index(fields=["name_key"], name="supplier_name_key_idx"),
            models.Index(fields=["credit_code"], name="supplier_credit_code_idx"),
        ]
        constraints = [
            # A company has one live file; a rejected one may be registered again (SUP-02).
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(stage="rejected"), name="supplier_one_live_file_per_code"
            ),
            models.UniqueConstraint(
                fields=["name_key"], condition=~Q(stage="rejected"), name="supplier_one_live_file_per_name"
            ),
            # Only an active supplier has a code, and every active one has one (SUP-07); a code
            # once given is kept, so this also holds while a supplier is suspended.
            models.CheckConstraint(
                condition=Q(stage="active", code__isnull=False) | (~Q(stage="active") & Q(code__isnull=True)),
                name="supplier_code_iff_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name

    @property
    def is_archived(self) -> bool:
        """SUP-07: the file is read-only once the supplier is active (and once rejected)."""
        return self.stage in (Stage.ACTIVE, Stage.REJECTED)

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None


class SupplierPaymentTerms(Supplier):
    """The one thing finance sees of a supplier: an active supplier's code, name and payment
    terms (ORG-02). A proxy, so the access registry holds its own rule for it."""

    class Meta:
        proxy = True
        verbose_name = _("supplier payment terms")
        verbose_name_plural = _("supplier payment terms")


class SupplierGoodsLine(models.Model):
    """One line of the application's list of goods with the expected amount (SUP-05)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="goods_lines")
    item = models.CharField(_("goods"), max_length=200)
    expected_amount = models.DecimalField(_("expected amount per year (CNY)"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goods line")
        verbose_name_plural = _("goods lines")
        ordering = ["supplier", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(expected_amount__gt=0), name="supplier_goods_amount_positive")
        ]

    def __str__(self) -> str:
        return self.item


class SupplierStep(models.Model):
    """Every step of a supplier's file, timestamped with who took it (SUP-02)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("step"), max_length=20)
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("supplier step")
        verbose_name_plural = _("supplier steps")
        # In the order the steps were taken (the row's sequence; a clock can repeat).
        ordering = ["supplier", "pk"]

    def __str__(self) -> str:
        return f"{self.supplier} → {self.to_stage}"


class SupplierCodeSequence(models.Model):
    """The last supplier number given in a year (SUP-07). One row per year, locked while a
    code is taken, so codes are consecutive and none is given twice or skipped."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("supplier code sequence")
        verbose_name_plural = _("supplier code sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
