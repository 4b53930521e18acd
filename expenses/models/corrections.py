from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from customers.models import Purchase, PurchaseSource

from .common import MONEY, QUANTITY


class PurchaseCorrection(models.Model):
    """A late correction 采购更正 of a purchase whose month is frozen (EXP-04): the row keeps
    the figures its submitted or signed statement was computed from; this holds the figures
    before and after the change and who made it. The rep's next statement computes the fee
    from the corrected figures and pays the difference as a carry-over line; units returned
    after a payout are clawed back (EXP-12). While standing (not applied), the latest
    correction of a row gives its figures for the fees."""

    purchase = models.ForeignKey(
        Purchase, verbose_name=_("purchase"), on_delete=models.PROTECT, related_name="late_corrections"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rep"), on_delete=models.PROTECT, related_name="+",
        help_text=_("the customer's owner, whose next statement carries the correction"),
    )  # fmt: skip
    frozen_by = models.ForeignKey(
        "expenses.Statement", verbose_name=_("frozen by statement"), on_delete=models.PROTECT, related_name="+"
    )
    carried_by = models.ForeignKey(
        "expenses.Statement", verbose_name=_("carried by statement"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="late_corrections",
    )  # fmt: skip
    old_quantity = models.DecimalField(_("quantity before"), **QUANTITY)
    old_amount = models.DecimalField(_("amount before"), **MONEY)
    old_returned_quantity = models.DecimalField(_("quantity returned before"), **QUANTITY)
    old_returned_amount = models.DecimalField(_("amount returned before"), **MONEY)
    old_collected_amount = models.DecimalField(_("collected before"), **MONEY)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    returned_quantity = models.DecimalField(_("quantity returned"), **QUANTITY)
    returned_amount = models.DecimalField(_("amount returned (yuan)"), **MONEY)
    collected_amount = models.DecimalField(_("amount collected 回款 (yuan)"), **MONEY)
    source = models.CharField(_("source"), max_length=10, choices=PurchaseSource.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("corrected by"), on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(_("corrected at"), auto_now_add=True)
    applied_at = models.DateTimeField(
        _("written to the purchase"), null=True, blank=True,
        help_text=_("when its statement was returned and the month unfrozen"),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("late purchase correction 采购更正")
        verbose_name_plural = _("late purchase corrections")
        ordering = ["purchase", "made_at", "pk"]
        indexes = [
            models.Index(fields=["purchase", "applied_at"], name="correction_purchase_idx"),
            models.Index(fields=["rep", "carried_by"], name="correction_rep_carried_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.purchase} · {self.made_at:%Y-%m-%d}"

    FIGURES = ("quantity", "amount", "returned_quantity", "returned_amount", "collected_amount")

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(label, before, after) for each figure that changed."""
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, f"old_{name}"), getattr(self, name))
            for name in self.FIGURES
            if getattr(self, f"old_{name}") != getattr(self, name)
        ]
