from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from customers.models import search_characters


class Tenant(models.Model):
    """A shop in the shopping centre 租户档案 (TEN-01). Confidential (ORG-02): see access_rules."""

    shop_name = models.CharField(_("shop name"), max_length=200)
    unit = models.CharField(_("unit number"), max_length=20)
    floor = models.CharField(_("floor"), max_length=10)
    business_type = models.CharField(_("business type"), max_length=100)
    lease_start = models.DateField(_("lease start"))
    lease_end = models.DateField(_("lease end"))
    notes = models.TextField(_("notes"), blank=True)
    moved_out_at = models.DateTimeField(_("moved out"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Shop, unit and the contacts' names and phones, lower-cased, for one indexed search
    # (services/tenants.py keeps it current).
    search_text = models.TextField(editable=False, blank=True, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("tenant 租户")
        verbose_name_plural = _("tenants")
        ordering = ["floor", "unit"]
        indexes = [
            GinIndex(fields=["search_text"], name="tenant_search_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(search_characters(F("search_text")), name="tenant_search_chars"),
            models.Index(fields=["lease_end"], name="tenant_lease_end_idx"),
        ]
        constraints = [
            # One shop in a unit at a time; a unit can be let again once its tenant moved out.
            models.UniqueConstraint(fields=["unit"], condition=Q(moved_out_at__isnull=True), name="tenant_unit_once"),
            models.CheckConstraint(condition=Q(lease_end__gte=F("lease_start")), name="tenant_lease_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.shop_name}"


class TenantContact(models.Model):
    """A person at a shop the desk talks to (TEN-01); addressed by notices and surveys later."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=100, blank=True, help_text=_("e.g. shop manager, owner"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    wechat = models.CharField(_("WeChat"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("main contact"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tenant contact")
        verbose_name_plural = _("tenant contacts")
        ordering = ["tenant", "-is_primary", "name", "pk"]

    def __str__(self) -> str:
        return self.name


def lease_warning_days() -> int:
    return settings.TENANT_LEASE_WARNING_DAYS
