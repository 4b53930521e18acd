"""Reads for tenant visits and bulk notices (TEN-08). Everything starts from the access
registry (ORG-02)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from crm_project.accounts.access import visible_to
from crm_project.accounts.models import User
from crm_project.accounts.roles import Role

from .models import BulkNotice, BulkNoticeDelivery, Tenant, TenantVisit


def visit_visible_to(user) -> QuerySet[TenantVisit]:
    return visible_to(user, TenantVisit.objects.all())


def bulk_notice_visible_to(user) -> QuerySet[BulkNotice]:
    return visible_to(user, BulkNotice.objects.all())


def delivery_visible_to(user) -> QuerySet[BulkNoticeDelivery]:
    return visible_to(user, BulkNoticeDelivery.objects.all())


def current_tenants() -> QuerySet[Tenant]:
    """The tenants that have not moved out: those the plan and the rate count."""
    return Tenant.objects.filter(moved_out_at__isnull=True)


def visitors() -> QuerySet[User]:
    """Operations staff who visit tenants: active members of the desk's department with the
    operations role (the operations manager too), in a stable order for the round-robin."""
    return (
        User.objects.filter(
            is_active=True, groups__name=Role.OPERATIONS, department__code=settings.TENANT_DESK_DEPARTMENT
        )
        .distinct()
        .order_by("pk")
    )


def overdue(today: date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(done_at__isnull=True, planned_on__lt=today)


def overdue_visits(queryset: QuerySet[TenantVisit], today: date | None = None) -> QuerySet[TenantVisit]:
    """Not done, the planned day passed, on a tenant that is still here (JOB-04)."""
    return queryset.filter(overdue(today), tenant__moved_out_at__isnull=True)


def my_open_visits(user, *, until: date) -> QuerySet[TenantVisit]:
    """ "My work": my visits not yet done and planned up to `until` (overdue ones first)."""
    return (
        visit_visible_to(user)
        .filter(visitor=user, done_at__isnull=True, planned_on__lte=until, tenant__moved_out_at__isnull=True)
        .select_related("tenant")
        .order_by("planned_on", "pk")
    )


@dataclass(frozen=True)
class VisitRate:
    year: int
    visited: int
    tenants: int
    target: int

    @property
    def percent(self) -> Decimal:
        if not self.tenants:
            return Decimal("0.0")
        return (Decimal(self.visited * 100) / self.tenants).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def met(self) -> bool:
        return self.tenants > 0 and self.percent >= self.target


def visit_rate(year: int) -> VisitRate:
    """TEN-08: distinct current tenants visited (a done visit in the year) / current tenants,
    against TENANT_VISIT_RATE_TARGET (100 %). Two queries."""
    tenants = current_tenants()
    visited = (
        TenantVisit.objects.filter(done_at__year=year, tenant__moved_out_at__isnull=True)
        .values("tenant_id")
        .distinct()
        .count()
    )
    return VisitRate(year=year, visited=visited, tenants=tenants.count(), target=settings.TENANT_VISIT_RATE_TARGET)


def notice_audience(*, floor: str = "", business_type: str = "") -> QuerySet[Tenant]:
    """TEN-08: the current tenants a bulk notice goes to; empty criteria mean all of them."""
    tenants = current_tenants()
    if floor:
        tenants = tenants.filter(floor__iexact=floor.strip())
    if business_type:
        tenants = tenants.filter(business_type__iexact=business_type.strip())
    return tenants.order_by("floor", "unit", "pk")


def audience_choices() -> tuple[list[str], list[str]]:
    """The floors and business types of current tenants, for the notice form's choices."""
    tenants = current_tenants()
    floors = sorted(set(tenants.values_list("floor", flat=True)))
    types = sorted(set(tenants.values_list("business_type", flat=True)))
    return floors, types
