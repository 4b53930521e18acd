from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .tenants import Tenant


class VisitOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied, no issue")
    ISSUES = "issues", _("issues raised (logged as requests)")
    NOT_MET = "not_met", _("nobody met")


class TenantVisit(models.Model):
    """One visit of the tenant visit plan (TEN-08): every current tenant visited at least once a
    year by operations staff; the report marks it done."""

    tenant = models.ForeignKey(Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="visits")
    planned_on = models.DateField(_("planned on"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("visitor"), on_delete=models.PROTECT, related_name="+"
    )
    # Made by the year's plan generator (one per tenant and year) rather than by hand.
    generated = models.BooleanField(_("from the year's plan"), default=False)
    done_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    report = models.TextField(_("visit report"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=VisitOutcome.choices, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tenant visit 租户拜访")
        verbose_name_plural = _("tenant visits")
        ordering = ["planned_on", "pk"]
        indexes = [
            models.Index(fields=["planned_on"], name="tenant_visit_open_idx", condition=Q(done_at__isnull=True)),
            models.Index(fields=["visitor", "planned_on"], name="tenant_visit_visitor_idx"),
        ]
        constraints = [
            # The generator plans one visit per tenant and year, even if two runs race.
            models.UniqueConstraint(
                ExtractYear("planned_on"), "tenant", condition=Q(generated=True), name="tenant_visit_one_planned_a_year"
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | ~Q(report=""), name="tenant_visit_done_with_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant} · {self.planned_on.isoformat()}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
