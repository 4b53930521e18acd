from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from customers.models import Customer


class InvestigationStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLEAR = "clear", _("closed — flow clear")
    UNCLEAR = "unclear", _("flow unclear — payout blocked")


class Investigation(models.Model):
    """An investigation of a customer's purchase–sale–inventory flow (EXP-15). While open
    or found unclear it blocks payouts for that customer."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="fee_investigations"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=InvestigationStatus.choices, default=InvestigationStatus.OPEN
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)

    class Meta:
        verbose_name = _("investigation 调查")
        verbose_name_plural = _("investigations")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.customer} · {self.get_status_display()}"


class ConfidentialityException(models.Model):
    """A written request for someone outside the rule to see a rep's fee data (EXP-13),
    approved by the sales manager and director, archived with the clerk."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who may see"), on_delete=models.PROTECT, related_name="+"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("whose fee data"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    valid_until = models.DateField(_("valid until"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("approved by (manager)"),
    )  # fmt: skip
    manager_at = models.DateTimeField(null=True, blank=True)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("approved by (director)"),
    )  # fmt: skip
    director_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("archived by (clerk)"),
    )  # fmt: skip
    archived_at = models.DateTimeField(null=True, blank=True)
    rejected = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("confidentiality exception")
        verbose_name_plural = _("confidentiality exceptions")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.grantee} → {self.rep}"


class Reassignment(models.Model):
    """A leaving rep's customers and open payouts handed to another rep (EXP-14)."""

    from_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    to_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    customer_ids = models.JSONField(_("customers"), default=list)
    sheet_ids = models.JSONField(_("open sign-off sheets"), default=list)

    class Meta:
        verbose_name = _("reassignment")
        verbose_name_plural = _("reassignments")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.from_rep} → {self.to_rep}"
