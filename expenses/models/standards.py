from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customers.models import Product

from .common import MONEY


class FeeStandard(models.Model):
    """A product's fee standard 客情费标准 from a date (EXP-02). Standards are never edited:
    a change is a new standard from a later month, so past months keep theirs."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="fee_standards"
    )
    valid_from = models.DateField(_("valid from"), help_text=_("the first day of a month"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fee standard 客情费标准")
        verbose_name_plural = _("fee standards")
        ordering = ["product", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["product", "valid_from"], name="one_standard_per_product_and_date"),
            models.CheckConstraint(condition=Q(valid_from__day=1), name="standard_starts_on_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.valid_from:%Y-%m}"


class FeeTier(models.Model):
    """A monthly net-quantity tier and its fee per unit; the whole quantity is paid at the
    tier's rate, not progressively (EXP-02)."""

    standard = models.ForeignKey(FeeStandard, on_delete=models.CASCADE, related_name="tiers")
    min_quantity = models.PositiveIntegerField(_("from quantity"))
    max_quantity = models.PositiveIntegerField(_("to quantity"), null=True, blank=True, help_text=_("empty: no limit"))
    fee_per_unit = models.DecimalField(_("fee per unit (yuan)"), **MONEY)

    class Meta:
        verbose_name = _("fee tier")
        verbose_name_plural = _("fee tiers")
        ordering = ["standard", "min_quantity"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_quantity__isnull=True) | Q(max_quantity__gte=models.F("min_quantity")),
                name="tier_bounds_ordered",
            ),
            models.CheckConstraint(condition=Q(fee_per_unit__gte=0), name="tier_fee_not_negative"),
        ]

    def __str__(self) -> str:
        upper = self.max_quantity if self.max_quantity is not None else "∞"
        return f"{self.min_quantity}–{upper}: ¥{self.fee_per_unit}"
