from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .tenants import Tenant, TenantContact


class NoticeKind(models.TextChoices):
    TYPHOON = "typhoon", _("typhoon reminder 台风")
    RAINSTORM = "rainstorm", _("rainstorm reminder 暴雨")
    HOLIDAY = "holiday", _("holiday greeting 节日问候")
    OTHER = "other", _("other")


class BulkNotice(models.Model):
    """A message to many tenants at once (TEN-08): special-weather reminders and holiday
    greetings, to all current tenants or those of one floor and/or business type."""

    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"))
    # The audience: empty criteria mean every current tenant.
    floor = models.CharField(_("floor"), max_length=10, blank=True)
    business_type = models.CharField(_("business type"), max_length=100, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT)
    sent_at = models.DateTimeField(_("sent at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bulk notice 群发通知")
        verbose_name_plural = _("bulk notices")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")


class BulkNoticeDelivery(models.Model):
    """One tenant of a bulk notice: whom it went to, and when, or why not. One row per tenant
    and notice, so nobody is messaged twice for one notice."""

    notice = models.ForeignKey(BulkNotice, on_delete=models.CASCADE, related_name="deliveries")
    tenant = models.ForeignKey(Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(
        TenantContact, verbose_name=_("contact"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(_("contact"), max_length=100, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=DeliveryChannel.choices, default="email")
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_reason = models.CharField(_("not delivered because"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bulk notice delivery")
        verbose_name_plural = _("bulk notice deliveries")
        ordering = ["notice", "tenant__floor", "tenant__unit", "pk"]
        indexes = [
            models.Index(
                fields=["notice"], name="bulk_delivery_pending_idx",
                condition=Q(delivered_at__isnull=True, failed_reason=""),
            ),
        ]  # fmt: skip
        constraints = [
            models.UniqueConstraint(fields=["notice", "tenant"], name="bulk_delivery_once_per_tenant"),
            models.CheckConstraint(
                condition=Q(delivered_at__isnull=True) | Q(failed_reason=""), name="bulk_delivery_delivered_or_failed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice} → {self.tenant}"

    @property
    def is_pending(self) -> bool:
        return self.delivered_at is None and not self.failed_reason
