"""Reads of the fire-safety inspection (TEN-07): every page, export and API call starts from the
`…_visible_to(user)` functions here, i.e. from the access registry (ORG-02).

The units of an inspection are the tenants themselves, not the tenant archive: the fire team
(operations and the safety department) walks every unit, so it sees each tenant's unit, floor
and shop name through the inspection it may see, and nothing more of the archive."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from crm_project.accounts.access import visible_to

from .models import FireInspection, InspectionResult, Rectification, Tenant
from .services.fire import month_start


def inspection_visible_to(user) -> QuerySet[FireInspection]:
    return visible_to(user, FireInspection.objects.all())


def result_visible_to(user) -> QuerySet[InspectionResult]:
    return visible_to(user, InspectionResult.objects.all())


def rectification_visible_to(user) -> QuerySet[Rectification]:
    return visible_to(user, Rectification.objects.all())


def this_month(today: date | None = None) -> date:
    return month_start(today or timezone.localdate())


def with_overdue(queryset: QuerySet[Rectification], today: date | None = None) -> QuerySet[Rectification]:
    today = today or timezone.localdate()
    overdue = Q(status=Rectification.Status.OPEN, due_on__lt=today)
    return queryset.annotate(
        is_overdue=Case(When(overdue, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def inspection_units(inspection: FireInspection) -> QuerySet[Tenant]:
    """The units of an inspection: those noticed or checked once the notice is out, else every
    current tenant; each with its first result (`result_id`, `result_passed`) and whether an
    open letter is left (`letter_open`). One query."""
    first = InspectionResult.objects.filter(inspection=inspection, tenant=OuterRef("pk"), reinspects__isnull=True)
    if inspection.notice_issued_at:
        scope = Q(fire_notices__inspection=inspection) | Q(fire_results__inspection=inspection)
        tenants = Tenant.objects.filter(pk__in=Tenant.objects.filter(scope).values("pk"))
    else:
        tenants = Tenant.objects.filter(moved_out_at__isnull=True)
    open_letter = Rectification.objects.filter(
        result__inspection=inspection, tenant=OuterRef("pk"), status=Rectification.Status.OPEN
    )
    return tenants.annotate(
        result_id=Subquery(first.values("pk")[:1]),
        result_passed=Subquery(first.values("passed")[:1]),
        letter_id=Subquery(
            Rectification.objects.filter(result__inspection=inspection, tenant=OuterRef("pk")).values("pk")[:1]
        ),
        letter_open=Exists(open_letter),
    ).order_by("floor", "unit", "pk")


@dataclass
class FloorProgress:
    floor: str
    units: list = field(default_factory=list)
    checked: int = 0
    passed: int = 0
    failed: int = 0
    open_letters: int = 0

    @property
    def total(self) -> int:
        return len(self.units)

    @property
    def not_yet(self) -> int:
        return self.total - self.checked

    @property
    def percent(self) -> int:
        return round(100 * self.checked / self.total) if self.total else 0


def floor_progress(inspection: FireInspection) -> tuple[list[FloorProgress], FloorProgress]:
    """TEN-07: units checked / passed / failed / not yet, per floor, and the totals."""
    floors: dict[str, FloorProgress] = {}
    total = FloorProgress(floor="")
    for unit in inspection_units(inspection):
        row = floors.setdefault(unit.floor, FloorProgress(floor=unit.floor))
        for progress in (row, total):
            progress.units.append(unit)
            if unit.result_id is not None:
                progress.checked += 1
                progress.passed += bool(unit.result_passed)
                progress.failed += not unit.result_passed
            progress.open_letters += bool(unit.letter_open)
    return list(floors.values()), total
