from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from customers.models import Customer

from .common import MONEY


class SpecialFeeStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the manager")
    MANAGER_APPROVED = "manager_approved", _("waiting for the director")
    DIRECTOR_APPROVED = "director_approved", _("waiting for finance")
    APPROVED = "approved", _("approved")
    PAID = "paid", _("paid")
    REJECTED = "rejected", _("rejected")
    INVALID = "invalid", _("invalid — filed after the contract")


class SpecialFeeApplication(models.Model):
    """附表3 新客户特殊费用申请表 (EXP-09): applied for before the contract is signed,
    approved by manager, director and finance in order, paid only after the customer paid."""

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rep"), on_delete=models.PROTECT, related_name="special_fees"
    )
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField(_("filed on"))
    planned_contract_date = models.DateField(_("planned contract date"))
    contract_signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    purpose = models.TextField(_("purpose"))
    status = models.CharField(
        _("status"), max_length=20, choices=SpecialFeeStatus.choices, default=SpecialFeeStatus.PENDING
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("manager"),
    )  # fmt: skip
    manager_at = models.DateTimeField(_("manager approved at"), null=True, blank=True)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("director"),
    )  # fmt: skip
    director_at = models.DateTimeField(_("director approved at"), null=True, blank=True)
    finance = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("finance"),
    )  # fmt: skip
    finance_at = models.DateTimeField(_("finance approved at"), null=True, blank=True)
    decided_note = models.TextField(_("note"), blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("new-customer special fee 附表3")
        verbose_name_plural = _("new-customer special fees")
        ordering = ["-filed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.customer} ¥{self.amount}"
