"""Outgoing notices and letters 对外发文 (TEN-06): drafted from a template by the department
concerned → approved by its head → seal approved by management → sealed at the GM office →
delivered to each addressed tenant → each tenant signs for it (签收), by a personal one-time
link or on paper (a scan is kept). The notice shows who has not yet signed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm_project.core.files import UnguessableName

from .tenants import Tenant

_USER = {"on_delete": models.PROTECT, "null": True, "blank": True, "related_name": "+"}


class NoticeTemplate(models.Model):
    """The unified template 统一模板 a notice is drafted from; operations keeps them. The body
    may hold the placeholders {tenant} {unit} {date} {due_date} (services/notices.py)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notice template 发文模板")
        verbose_name_plural = _("notice templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved by the department head")
    SEAL_APPROVED = "seal_approved", _("Seal approved")
    SEALED = "sealed", _("Sealed")
    DELIVERED = "delivered", _("Delivered")


class Notice(models.Model):
    """One outgoing notice or letter 对外发文 (TEN-06)."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    template = models.ForeignKey(
        NoticeTemplate, verbose_name=_("template"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department concerned"), on_delete=models.PROTECT, related_name="+"
    )
    notice_date = models.DateField(_("date of the notice"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), **_USER)
    drafted_at = models.DateTimeField(_("drafted at"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), **_USER)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    seal_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("seal approved by"), **_USER)
    seal_approved_at = models.DateTimeField(_("seal approved at"), null=True, blank=True)
    sealed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sealed by"), **_USER)
    sealed_at = models.DateTimeField(_("sealed at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outgoing notice 对外发文")
        verbose_name_plural = _("outgoing notices")
        ordering = ["-drafted_at", "-pk"]
        indexes = [models.Index(fields=["status", "delivered_at"], name="notice_status_delivered_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_at__isnull=False), name="notice_approved_before_on"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved"]) | Q(seal_approved_at__isnull=False),
                name="notice_seal_approved_before_seal",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["sealed", "delivered"]) | Q(sealed_at__isnull=False),
                name="notice_sealed_before_delivery",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False), name="notice_delivered_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReceiptMethod(models.TextChoices):
    LINK = "link", _("Personal link")
    PAPER = "paper", _("Paper receipt")


class NoticeAddressee(models.Model):
    """A tenant a notice is addressed to, with the text as it reads for that tenant and its
    sign-off 签收 record (TEN-06). Only the SHA-256 of the one-time link's token is kept."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="addressees")
    tenant = models.ForeignKey(Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="notices")
    text = models.TextField(_("text for this tenant"))
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    emailed_to = models.EmailField(_("e-mailed to"), blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    method = models.CharField(_("signed by"), max_length=10, choices=ReceiptMethod.choices, blank=True)
    signer_name = models.CharField(_("signed for by"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("receipt recorded by"), **_USER)
    scan = models.FileField(_("scan of the receipt"), upload_to=UnguessableName("notice-receipts"), blank=True,
                            max_length=200)  # fmt: skip
    scan_name = models.CharField(_("scan file name"), max_length=200, blank=True)
    scan_type = models.CharField(_("scan file type"), max_length=100, blank=True)
    reminded_at = models.DateTimeField(_("staff reminded at"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders"), default=0)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = _("notice addressee")
        verbose_name_plural = _("notice addressees")
        ordering = ["notice", "tenant__floor", "tenant__unit", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "tenant"], name="notice_addressee_once"),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True, method="")
                | Q(signed_at__isnull=False, method__in=["link", "paper"]),
                name="notice_signed_with_method",
            ),
            models.CheckConstraint(condition=~Q(method="paper") | ~Q(scan=""), name="notice_paper_receipt_has_scan"),
        ]
        indexes = [
            models.Index(fields=["notice"], name="notice_unsigned_idx", condition=Q(signed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} · {self.tenant_id}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None
