from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from crm_project.accounts.models import Department
from customers.models import Contact, Customer


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("hotline")
    EMAIL = "email", _("e-mail")
    WEB = "web", _("web form")
    VISIT = "visit", _("visit")
    TENANT_DESK = "tenant_desk", _("tenant service desk")


class ComplaintCategory(models.TextChoices):
    QUALITY = "quality", _("product quality")
    DELIVERY = "delivery", _("delivery")
    ATTITUDE = "attitude", _("service attitude")
    BILLING = "billing", _("billing")
    OTHER = "other", _("other")


class Severity(models.TextChoices):
    NORMAL = "normal", _("normal")
    URGENT = "urgent", _("urgent")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    ASSIGNED = "assigned", _("assigned")
    INVESTIGATING = "investigating", _("investigating")
    SOLUTION_PROPOSED = "solution_proposed", _("solution proposed")
    CUSTOMER_INFORMED = "customer_informed", _("customer informed")
    CLOSED = "closed", pgettext_lazy("complaint status", "closed")


class ServiceStandard(models.Model):
    """Response and solution targets by severity (CMP-04, settings): first response in working
    hours, solution in working days, on the working-day calendar."""

    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, unique=True)
    response_hours = models.PositiveSmallIntegerField(_("first response within (working hours)"))
    solution_days = models.PositiveSmallIntegerField(_("solution within (working days)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service standard 服务标准")
        verbose_name_plural = _("service standards")
        ordering = ["severity"]

    def __str__(self) -> str:
        return self.get_severity_display()


class Complaint(models.Model):
    """A complaint ticket (CMP-01 … CMP-05). The complainant is generic: a customer and one of
    its contacts, or (later) a tenant, or just the name and contact a public form gave."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact person"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # CMP-01: a tenant's complaint taken at the tenant service desk (tenants/services/complaints.py).
    tenant = models.ForeignKey(
        "tenants.Tenant", verbose_name=_("tenant"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="complaints",
    )  # fmt: skip
    complainant_name = models.CharField(_("complainant"), max_length=100)
    complainant_contact = models.CharField(_("phone or e-mail"), max_length=150, blank=True)
    complainant_company = models.CharField(_("company"), max_length=200, blank=True)
    text = models.TextField(pgettext_lazy("complaint text", "complaint"))
    category = models.CharField(_("category"), max_length=20, choices=ComplaintCategory.choices, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.NORMAL)
    department = models.ForeignKey(
        Department, verbose_name=_("responsible department"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="complaints",
    )  # fmt: skip
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    response_due_at = models.DateTimeField(_("first response due"))
    solution_due_at = models.DateTimeField(_("solution due"))
    responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    solution = models.TextField(_("solution"), blank=True)
    solution_proposed_at = models.DateTimeField(_("solution proposed at"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    preventive_action = models.TextField(_("preventive action"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    status_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    submitted_from = models.GenericIPAddressField(_("submitted from"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("complaint 投诉")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "response_due_at"], name="complaint_response_due_idx"),
            models.Index(fields=["status", "solution_due_at"], name="complaint_solution_due_idx"),
            models.Index(fields=["customer", "category", "received_at"], name="complaint_repeat_idx"),
            # The dashboard's complaints received and closed in a period and open now (DSH-01);
            # the first also serves the list's default order (newest first).
            models.Index(fields=["received_at", "id"], name="complaint_received_idx"),
            models.Index(fields=["closed_at"], name="complaint_closed_idx", condition=Q(closed_at__isnull=False)),
            models.Index(fields=["solution_due_at", "id"], name="complaint_open_idx", condition=~Q(status="closed")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="complaint_satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(root_cause="") & ~Q(preventive_action="")),
                name="closed_complaint_has_root_cause",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ComplaintEvent(models.Model):
    """Every step of a complaint, timestamped with who did it (CMP-03)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=ComplaintStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ComplaintStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("complaint step")
        verbose_name_plural = _("complaint steps")
        # In the order the steps were taken: by the row's sequence, not by `at`, which a retry,
        # a clock step or a test's travel can repeat or put out of order.
        ordering = ["complaint", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint} → {self.to_status}"


class Escalation(models.Model):
    """A breach escalated to the department head, once per complaint, target and round
    (CMP-04, JOB-06, JOB-09)."""

    class Target(models.TextChoices):
        RESPONSE = "response", _("first response")
        SOLUTION = "solution", _("solution")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="escalations")
    target = models.CharField(_("target"), max_length=10, choices=Target.choices)
    round = models.PositiveSmallIntegerField(_("round"), default=0, help_text=_("times reopened when it happened"))
    escalated_at = models.DateTimeField(_("escalated at"), auto_now_add=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("escalated to"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "target", "round"], name="escalate_each_breach_once")
        ]

    def __str__(self) -> str:
        return f"{self.complaint} · {self.target}"
