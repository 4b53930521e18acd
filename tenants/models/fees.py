from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class FeeScheduleItem(models.Model):
    """One line of the fee schedule (TEN-10): a service fee, a fee collected on behalf of others
    代收代付 or a paid service 有偿服务, valid from a day (until a day, or open-ended)."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("service fee")
        ON_BEHALF = "on_behalf", _("collected on behalf of others")
        PAID_SERVICE = "paid_service", _("paid service")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name in English"), max_length=200)
    name_zh = models.CharField(_("name in Chinese"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60, help_text=_("e.g. per m² per month"))
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fee schedule item")
        verbose_name_plural = _("fee schedule")
        ordering = ["kind", "name_zh", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="fee_valid_to_after_from"
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh or self.name
