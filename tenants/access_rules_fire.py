"""Who sees and who does the fire-safety inspection (TEN-07, ORG-02): operations and the safety
department's specialists inspect and write the letters; management reads everything and writes
nothing; nobody else sees any of it. Decided without a query, so the navigation is free."""

from django.conf import settings

from crm_project.accounts import access
from crm_project.accounts.roles import Role

from .models import FireInspection, FireInspectionNotice, FireInspectionPhoto, InspectionResult, Rectification


def is_safety_staff(user) -> bool:
    department = getattr(user, "department", None)
    return bool(
        department is not None
        and department.code == settings.TENANT_SAFETY_DEPARTMENT
        and user.has_role(Role.SPECIALIST)
    )


def is_fire_team(user) -> bool:
    """Operations and the safety department, whether or not they are read-only."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_role(Role.OPERATIONS) or is_safety_staff(user)


def sees_fire_inspections(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return access.sees_everything(user) or is_fire_team(user)


def can_inspect(user) -> bool:
    """Record results, issue the notice, re-inspect: the fire team, never read-only management."""
    return is_fire_team(user) and not access.is_read_only(user)


def _fire_team_only(user, queryset):
    return queryset if sees_fire_inspections(user) else queryset.none()


for model in (FireInspection, FireInspectionNotice, InspectionResult, FireInspectionPhoto, Rectification):
    access.register(model, _fire_team_only)
