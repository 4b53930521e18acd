"""Complaints and surveys in the access registry (ORG-02).

Complaints: customer service (who takes them in) and management see all; a department
sees those assigned to it; sales sees the complaints of the customers it may see; operations
sees the tenants' complaints (CMP-01).
Survey definitions and rounds: customer service, sales managers/directors and management.
Responses and follow-ups: as their customer is visible (the owner sees their own).
"""

from django.db.models import Q

from crm_project.accounts import access
from crm_project.accounts.roles import Role
from customers.models import Customer

from .models import Recipient, Survey, SurveyFollowUp, SurveyResponse, SurveyRound
from .models.complaints import Complaint


def _complaints(user, queryset):
    if access.sees_everything(user) or user.has_role(Role.CUSTOMER_SERVICE):
        return queryset
    condition = Q(customer__in=access.visible_to(user, Customer.objects.all())) | Q(department__head=user)
    if user.has_role(Role.OPERATIONS):
        condition |= Q(tenant__isnull=False)  # the tenant desk's complaints (CMP-01)
    # A sales rep sees only their own customers' complaints (ORG-02), even those assigned to
    # the sales department; the department's clerk/manager/director see those.
    rep_only = user.has_role(Role.SALES_REP) and not user.sees_department
    if user.department_id and not rep_only:
        condition |= Q(department_id=user.department_id)
    return queryset.filter(condition)


SURVEY_ROLES = (Role.CUSTOMER_SERVICE, Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.MANAGEMENT)


def _survey_definitions(user, queryset):
    return queryset if user.is_superuser or user.has_role(*SURVEY_ROLES) else queryset.none()


def _by_customer(path: str):
    def rule(user, queryset):
        if user.is_superuser or user.has_role(*SURVEY_ROLES):
            return queryset
        return queryset.filter(**{f"{path}__in": access.visible_to(user, Customer.objects.all())})

    return rule


access.register(Complaint, _complaints)
access.register(Survey, _survey_definitions)
access.register(SurveyRound, _survey_definitions)
access.register(Recipient, _by_customer("customer"))
access.register(SurveyResponse, _by_customer("recipient__customer"))
access.register(SurveyFollowUp, _by_customer("customer"))
