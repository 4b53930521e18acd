"""The monthly fire-safety inspection 消防安全检查 and its rectification letters 整改函 (TEN-07,
JOB-08): a notice to every current tenant on the month's first working day, a result per unit,
and for a failed unit one letter with the findings and a deadline, tracked until a passing
re-inspection closes it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm_project.core.files import UnguessableName

from .tenants import Tenant

_USER = {"on_delete": models.PROTECT, "null": True, "blank": True, "related_name": "+"}


class FireInspection(models.Model):
    """One month's inspection; `month` is the first day of the month."""

    month = models.DateField(_("month"), unique=True)
    notice_issued_at = models.DateTimeField(_("notice issued at"), null=True, blank=True)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("inspected by"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fire-safety inspection 消防安全检查")
        verbose_name_plural = _("fire-safety inspections")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="fire_inspection_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class FireInspectionNotice(models.Model):
    """The month's notice to one tenant: once per inspection and tenant (JOB-08, JOB-09)."""

    inspection = models.ForeignKey(FireInspection, on_delete=models.CASCADE, related_name="notices")
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="fire_notices")
    issued_at = models.DateTimeField(_("issued at"))
    emailed_to = models.EmailField(_("e-mailed to"), blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("fire-safety inspection notice")
        verbose_name_plural = _("fire-safety inspection notices")
        ordering = ["inspection", "tenant"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "tenant"], name="fire_notice_once_per_tenant"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.tenant}"


class InspectionResult(models.Model):
    """What the inspector found at one unit. A tenant has one first result per inspection;
    later results are re-inspections of its open rectification letter (`reinspects`)."""

    inspection = models.ForeignKey(FireInspection, on_delete=models.PROTECT, related_name="results")
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="fire_results")
    unit = models.CharField(_("unit number"), max_length=20)
    items_checked = models.JSONField(_("items checked"), default=list, blank=True)
    passed = models.BooleanField(_("passed"))
    findings = models.TextField(_("inspection findings"), blank=True)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), **_USER)
    checked_at = models.DateTimeField(_("inspected at"))
    reinspects = models.ForeignKey(
        "Rectification",
        verbose_name=_("re-inspection of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reinspections",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")
        ordering = ["inspection", "unit", "checked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "tenant"], condition=Q(reinspects__isnull=True), name="fire_result_once"
            ),
            models.CheckConstraint(condition=Q(passed=True) | ~Q(findings=""), name="fire_failed_with_findings"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.unit}"


class FireInspectionPhoto(models.Model):
    """A photo taken at the unit; its type is read from the content (check_image)."""

    result = models.ForeignKey(InspectionResult, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to=UnguessableName("fire-inspections"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), **_USER)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["result", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Rectification(models.Model):
    """A rectification letter 整改函: the findings of a failed unit and the deadline, open until
    a passing re-inspection closes it (TEN-07)."""

    class Status(models.TextChoices):
        OPEN = "open", _("not rectified")
        RECTIFIED = "rectified", _("rectified")

    result = models.OneToOneField(InspectionResult, on_delete=models.PROTECT, related_name="rectification")
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="rectifications")
    findings = models.TextField(_("inspection findings"))
    due_on = models.DateField(_("rectify by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    issued_at = models.DateTimeField(_("issued at"))
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    rectified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("re-inspected by"), **_USER)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification letter 整改函")
        verbose_name_plural = _("rectification letters")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["due_on"], name="rectification_open_idx", condition=Q(status="open"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", rectified_at__isnull=True)
                | Q(status="rectified", rectified_at__isnull=False),
                name="rectification_closed_with_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result.unit} · {self.due_on}"
