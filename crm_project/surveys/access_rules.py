"""Surveys in the access registry (ORG-02). Customer surveys: their definitions and rounds for
customer service, sales managers/directors and management; their responses, recipients and
follow-ups as their customer is visible (the owner sees their own). Tenant surveys belong to
the tenant desk (TEN-01): operations and management see them, nobody else. Imported from
SurveysConfig.ready()."""

from django.db.models import Q

from crm_project.accounts import access
from crm_project.accounts.roles import Role
from customers.models import Customer
from tenants.access_rules import sees_whole_desk

from .models import Recipient, Survey, SurveyAudience, SurveyFollowUp, SurveyResponse, SurveyRound

SURVEY_ROLES = (Role.CUSTOMER_SERVICE, Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.MANAGEMENT)


def _survey_definitions(path: str):
    def rule(user, queryset):
        if user.is_superuser or user.is_management:
            return queryset
        condition = Q(pk__in=[])
        if user.has_role(*SURVEY_ROLES):
            condition |= Q(**{path: SurveyAudience.CUSTOMERS})
        if sees_whole_desk(user):
            condition |= Q(**{path: SurveyAudience.TENANTS})
        return queryset.filter(condition)

    return rule


def _by_customer_or_tenant(prefix: str = ""):
    customer, tenant = f"{prefix}customer", f"{prefix}tenant"

    def rule(user, queryset):
        if user.is_superuser or user.is_management:
            return queryset
        if user.has_role(*SURVEY_ROLES):
            condition = Q(**{f"{customer}__isnull": False})
        else:
            condition = Q(**{f"{customer}__in": access.visible_to(user, Customer.objects.all())})
        if sees_whole_desk(user):
            condition |= Q(**{f"{tenant}__isnull": False})
        return queryset.filter(condition)

    return rule


access.register(Survey, _survey_definitions("audience"))
access.register(SurveyRound, _survey_definitions("survey__audience"))
access.register(Recipient, _by_customer_or_tenant())
access.register(SurveyResponse, _by_customer_or_tenant("recipient__"))
access.register(SurveyFollowUp, _by_customer_or_tenant())
