from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm_project.core.models import SettingsRow

from .common import MONEY


class CollectionMode(models.TextChoices):
    PROPORTIONAL = "proportional", _("proportional to the collection rate")
    ALL_OR_NOTHING = "all_or_nothing", _("all or nothing")


class FeeSettings(SettingsRow):
    """The policy's figures an administrator may change (EXP-04, EXP-06, EXP-07, EXP-10, EXP-11)."""

    collection_mode = models.CharField(
        _("collection rule"), max_length=20, choices=CollectionMode.choices, default=CollectionMode.PROPORTIONAL
    )
    submit_working_day = models.PositiveSmallIntegerField(_("statements due on working day"), default=3)
    review_working_day = models.PositiveSmallIntegerField(_("review due on working day"), default=8)
    advance_working_day = models.PositiveSmallIntegerField(_("advances open on working day"), default=9)
    advance_cap = models.DecimalField(_("outstanding advance cap per rep (yuan)"), default=Decimal("3000.00"), **MONEY)
    spot_check_customers = models.PositiveSmallIntegerField(_("customers to spot-check after a payout"), default=3)
    payout_day = models.PositiveSmallIntegerField(_("payouts complete by day of month"), default=18)
    sheets_day = models.PositiveSmallIntegerField(_("sign-off sheets to finance by day of month"), default=20)
    writeoff_day = models.PositiveSmallIntegerField(_("write-off complete by day of month"), default=25)
    signoff_link_days = models.PositiveSmallIntegerField(_("sign-off links valid for (days)"), default=14)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapport-fee settings")
        verbose_name_plural = _("rapport-fee settings")

    def __str__(self) -> str:
        return str(_("Rapport-fee settings"))
