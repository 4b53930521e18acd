from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm_project.core.files import UnguessableName
from customers.models import Contact

from .common import MONEY


class SignoffMethod(models.TextChoices):
    LINK = "link", _("confirmed by personal link")
    PAPER = "paper", _("signed paper sheet uploaded")


class SignoffSheet(models.Model):
    """附表4 客户关系维护费用签收表, one per contact person and statement (EXP-11): each
    contact confirms their own amount and sees no one else's."""

    statement = models.ForeignKey(
        "expenses.Statement", verbose_name=_("statement"), on_delete=models.PROTECT, related_name="signoff_sheets"
    )
    contact = models.ForeignKey(Contact, verbose_name=_("contact"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("paid out by"), on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(_("paid out at"), null=True, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(_("confirmation"), max_length=10, choices=SignoffMethod.choices, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    paper_scan = models.FileField(_("signed sheet"), upload_to=UnguessableName("signoff"), blank=True)
    paper_scan_name = models.CharField(_("signed sheet's file name"), max_length=200, blank=True)
    spot_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("spot-checked by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    spot_checked_at = models.DateTimeField(_("spot-checked at"), null=True, blank=True)
    submitted_to_finance_at = models.DateTimeField(_("handed to finance"), null=True, blank=True)
    written_off_amount = models.DecimalField(_("written off (finance's amount)"), null=True, blank=True, **MONEY)
    written_off_at = models.DateTimeField(_("written off at"), null=True, blank=True)
    written_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written off by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("sign-off sheet 附表4")
        verbose_name_plural = _("sign-off sheets")
        ordering = ["statement", "contact__customer__name", "contact__name"]
        constraints = [models.UniqueConstraint(fields=["statement", "contact"], name="one_sheet_per_contact")]

    def __str__(self) -> str:
        return f"{self.contact} · {self.statement.month:%Y-%m}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
