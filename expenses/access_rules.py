"""Fee data in the access registry (EXP-13, ORG-02): visible only to the rep, the sales
clerk, manager and director of the rep's department, and finance — plus anyone holding an
approved confidentiality exception. Not to management, and not to other reps."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from crm_project.accounts import access
from crm_project.accounts.roles import Role

from .models import (
    Advance,
    Allocation,
    ConfidentialityException,
    Investigation,
    LedgerEntry,
    PurchaseCorrection,
    Reassignment,
    SignoffSheet,
    SpecialFeeApplication,
    SpotCheck,
    Statement,
    StatementLine,
)

SIGNER_ROLES = (Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR)


def fee_data_rule(rep_path: str):
    def rule(user, queryset: QuerySet) -> QuerySet:
        if user.has_role(Role.FINANCE):
            return queryset
        condition = Q(**{rep_path: user})
        if user.has_role(*SIGNER_ROLES) and user.department_id:
            condition |= Q(**{f"{rep_path}__department_id": user.department_id})
        granted = ConfidentialityException.objects.filter(
            grantee=user, director_at__isnull=False, rejected=False, valid_until__gte=timezone.localdate()
        ).values("rep_id")
        condition |= Q(**{f"{rep_path}__in": granted})
        return queryset.filter(condition)

    return rule


access.register(Statement, fee_data_rule("rep"))
access.register(StatementLine, fee_data_rule("statement__rep"))
access.register(Allocation, fee_data_rule("line__statement__rep"))


def _signoff_sheets(user, queryset):
    # A rep who took over a leaver's open payouts (EXP-14) sees the sheets they now pay out.
    return fee_data_rule("statement__rep")(user, queryset) | queryset.filter(payer=user)


access.register(SignoffSheet, _signoff_sheets)
access.register(SpotCheck, fee_data_rule("statement__rep"))
access.register(Advance, fee_data_rule("rep"))
access.register(LedgerEntry, fee_data_rule("rep"))
access.register(PurchaseCorrection, fee_data_rule("rep"))
access.register(SpecialFeeApplication, fee_data_rule("rep"))


def _investigations(user, queryset):
    if user.has_role(Role.FINANCE, *SIGNER_ROLES):
        return queryset
    return queryset.none()


def _exceptions(user, queryset):
    if user.has_role(*SIGNER_ROLES):
        return queryset.filter(Q(rep__department_id=user.department_id) | Q(requested_by=user))
    return queryset.filter(Q(requested_by=user) | Q(grantee=user))


access.register(Investigation, _investigations)
access.register(ConfidentialityException, _exceptions)


def _reassignments(user, queryset):
    if user.has_role(Role.FINANCE):
        return queryset
    condition = Q(from_rep=user) | Q(to_rep=user)
    if user.has_role(*SIGNER_ROLES) and user.department_id:
        condition |= Q(from_rep__department_id=user.department_id)
    return queryset.filter(condition)


access.register(Reassignment, _reassignments)
