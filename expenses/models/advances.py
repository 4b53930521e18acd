from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from customers.models import Customer

from .common import MONEY


class AdvanceStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    PAID = "paid", _("paid out to the rep")
    SETTLED = "settled", _("settled by write-off")
    REJECTED = "rejected", _("rejected")


class Advance(models.Model):
    """借支 (EXP-10): cash drawn by a rep against a valid statement to pay contacts."""

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rep"), on_delete=models.PROTECT, related_name="advances"
    )
    statement = models.ForeignKey(
        "expenses.Statement", verbose_name=_("statement"), on_delete=models.PROTECT, related_name="advances"
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=AdvanceStatus.choices, default=AdvanceStatus.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("paid by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("advance 借支")
        verbose_name_plural = _("advances")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.rep} ¥{self.amount}"


class SpotCheck(models.Model):
    """The sales manager's spot-check after a payout: N customers confirmed they received
    their fees (EXP-10), or a sign-off sheet checked (EXP-11)."""

    advance = models.ForeignKey(
        Advance, verbose_name=_("advance"), on_delete=models.PROTECT, null=True, blank=True, related_name="spot_checks"
    )
    statement = models.ForeignKey(
        "expenses.Statement", verbose_name=_("statement"), on_delete=models.PROTECT, related_name="spot_checks"
    )
    customers = models.ManyToManyField(Customer, verbose_name=_("customers checked"), related_name="+")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT)
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True)
    all_confirmed = models.BooleanField(_("all confirmed receipt"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("spot-check 抽查")
        verbose_name_plural = _("spot-checks")
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.statement} · {self.checked_at:%Y-%m-%d}"
