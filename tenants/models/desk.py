from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm_project.core.files import UnguessableName

from .requests import TenantRequest
from .tenants import Tenant

_USER = {"on_delete": models.PROTECT, "null": True, "blank": True, "related_name": "+"}


class Recording(models.Model):
    """A call recording attached to a request (TEN-04). Kept `TENANT_RECORDING_RETENTION_DAYS`
    and then purged by a job (JOB-07) unless moved to the recording archive 录音存档记录表."""

    request = models.ForeignKey(TenantRequest, on_delete=models.PROTECT, related_name="recordings")
    file = models.FileField(_("file"), upload_to=UnguessableName("recordings"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), **_USER)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    archived_at = models.DateTimeField(_("moved to the archive at"), null=True, blank=True)
    archived_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("moved to the archive by"), **_USER)
    archive_reason = models.TextField(_("reason for keeping it"), blank=True)
    purged_at = models.DateTimeField(_("purged at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("call recording")
        verbose_name_plural = _("call recordings")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [
            models.Index(
                fields=["uploaded_at"], name="recording_purge_due_idx",
                condition=Q(archived_at__isnull=True, purged_at__isnull=True),
            ),
        ]  # fmt: skip
        constraints = [
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True) | ~Q(archive_reason=""), name="recording_archived_with_reason"
            ),
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True) | Q(purged_at__isnull=True),
                name="archived_recording_never_purged",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class RecordingPurge(models.Model):
    """The log of what the purge removed, when and why (JOB-07); one row per recording."""

    recording = models.OneToOneField(Recording, on_delete=models.PROTECT, related_name="purge")
    request_reference = models.CharField(_("request"), max_length=20)
    file_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"))
    purged_at = models.DateTimeField(_("purged at"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("recording purge")
        verbose_name_plural = _("recording purges")
        ordering = ["-purged_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.request_reference} · {self.file_name}"


class StorageItem(models.Model):
    """One line of the temporary storage log 临时物品寄存记录表 (TEN-09)."""

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("owner tenant"), on_delete=models.PROTECT, related_name="stored_items"
    )
    item = models.CharField(_("item"), max_length=200)
    location = models.CharField(_("kept at"), max_length=100)
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), **_USER)
    picked_up_at = models.DateTimeField(_("picked up at"), null=True, blank=True)
    picked_up_by = models.CharField(_("picked up by"), max_length=100, blank=True)
    handed_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handed out by"), **_USER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stored item")
        verbose_name_plural = _("stored items")
        ordering = ["received_at", "pk"]
        indexes = [
            models.Index(fields=["received_at"], name="storage_open_idx", condition=Q(picked_up_at__isnull=True))
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(picked_up_at__isnull=True) | ~Q(picked_up_by=""), name="storage_pick_up_names_who"
            )
        ]

    def __str__(self) -> str:
        return self.item
