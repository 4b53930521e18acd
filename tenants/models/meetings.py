from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .tenants import Tenant

_USER = {"on_delete": models.PROTECT, "null": True, "blank": True, "related_name": "+"}


class TenantMeeting(models.Model):
    """A tenant meeting 租户大会 (TEN-05): quarterly, or on a major event; its agenda, minutes
    and attendance. Each suggestion raised there is a TenantRequest (channel `meeting`) linked
    to it through `TenantRequest.meeting`."""

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("quarterly meeting")
        EVENT = "event", _("meeting on a major event")

    held_on = models.DateField(_("held on"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.QUARTERLY)
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    organised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("organised by"), **_USER)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tenant meeting 租户大会")
        verbose_name_plural = _("tenant meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["held_on"], name="tenant_meeting_held_idx")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class MeetingAttendance(models.Model):
    """A tenant at a meeting, and who came for it (TEN-05's face-to-face target)."""

    meeting = models.ForeignKey(TenantMeeting, on_delete=models.CASCADE, related_name="attendances")
    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="meeting_attendances"
    )
    attendee_name = models.CharField(_("attendee"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting attendance")
        verbose_name_plural = _("meeting attendance")
        ordering = ["meeting", "tenant__unit", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "tenant"], name="meeting_attendance_once_per_tenant"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.tenant}"
