"""Other customer-relationship expenses (EXP-17), entertainment 交际费用 and the like: an
application before the event, approved by the applicant's direct superior (and, above the
meal cap, by the department head and then the general manager) and recorded by finance; then
a claim with receipts within the working days after the event, accepted by finance."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm_project.accounts.models import Department
from crm_project.core.files import UnguessableName

from .budgets import ExpenseCategory
from .common import MONEY

_USER = {"on_delete": models.PROTECT, "null": True, "blank": True, "related_name": "+"}


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    RECORDED = "recorded", _("recorded by finance")
    REJECTED = "rejected", _("rejected")


class ApprovalRole(models.TextChoices):
    SUPERIOR = "superior", _("direct superior")
    DEPARTMENT_HEAD = "department_head", _("department head")
    GENERAL_MANAGER = "general_manager", _("general manager")


class ExpenseApplication(models.Model):
    """交际费用申请: filed on or before the event's date."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT,
        related_name="expense_applications",
    )  # fmt: skip
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    category = models.ForeignKey(ExpenseCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip
    filed_on = models.DateField(_("filed on"))
    event_date = models.DateField(_("date of the event"))
    guest = models.CharField(_("guest"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    reason = models.TextField(_("reason"))
    persons = models.PositiveSmallIntegerField(_("number of persons"))
    estimated_cost = models.DecimalField(_("estimated cost (yuan)"), **MONEY)
    above_cap = models.BooleanField(_("above the meal cap"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    superior = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("direct superior"), **_USER)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), **_USER)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("rejected by"), **_USER)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    claim_due_by = models.DateField(_("claim due by"))
    late_claim_reason = models.TextField(_("late claim allowed because"), blank=True)
    late_claim_allowed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("late claim allowed by"),
                                              **_USER)  # fmt: skip
    late_claim_allowed_at = models.DateTimeField(_("late claim allowed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expense application 费用申请")
        verbose_name_plural = _("expense applications")
        ordering = ["-filed_on", "-pk"]
        indexes = [
            models.Index(fields=["applicant", "status"], name="expense_app_applicant_idx"),
            models.Index(fields=["department", "status"], name="expense_app_department_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(persons__gte=1), name="expense_app_persons_positive"),
            models.CheckConstraint(condition=Q(estimated_cost__gt=0), name="expense_app_cost_positive"),
            models.CheckConstraint(condition=Q(filed_on__lte=models.F("event_date")),
                                   name="expense_app_before_event"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.guest} ({self.organisation}) {self.event_date:%Y-%m-%d}"


class ApplicationApproval(models.Model):
    """One approval an application received, in the order of `ApprovalRole`."""

    application = models.ForeignKey(ExpenseApplication, on_delete=models.CASCADE, related_name="approvals")
    role = models.CharField(_("as"), max_length=20, choices=ApprovalRole.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT,
                             related_name="+")  # fmt: skip
    at = models.DateTimeField(_("approved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application approval")
        verbose_name_plural = _("application approvals")
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "role"], name="expense_approval_once")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user}"


class ClaimStatus(models.TextChoices):
    FILED = "filed", _("filed")
    APPROVED = "approved", _("approved by the department head")
    ACCEPTED = "accepted", _("accepted by finance")
    REJECTED = "rejected", _("rejected")


class ExpenseClaim(models.Model):
    """费用报销: the actual amount after the event, with receipts. At most one claim of an
    application is open or accepted; a rejected one may be filed again."""

    application = models.ForeignKey(ExpenseApplication, verbose_name=_("application"), on_delete=models.PROTECT,
                                    related_name="claims")  # fmt: skip
    amount = models.DecimalField(_("actual amount (yuan)"), **MONEY)
    explanation = models.TextField(_("explanation of the amount above the estimate"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.FILED)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    due_by = models.DateField(_("due by"))
    late = models.BooleanField(_("filed late, by finance's exception"), default=False)
    above_estimate = models.BooleanField(_("above the approved estimate"), default=False)
    head_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), **_USER)
    head_approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), **_USER)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("rejected by"), **_USER)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expense claim 费用报销")
        verbose_name_plural = _("expense claims")
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=~Q(status="rejected"),
                                    name="expense_claim_one_open"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_claim_amount_positive"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.application} ¥{self.amount}"


class ClaimReceipt(models.Model):
    """A receipt 票据 of a claim, an image or a PDF checked by its content."""

    claim = models.ForeignKey(ExpenseClaim, on_delete=models.CASCADE, related_name="receipts")
    file = models.FileField(_("file"), upload_to=UnguessableName("expense-receipts"), max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
