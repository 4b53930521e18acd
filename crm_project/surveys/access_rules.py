"""Surveys in the access registry (ORG-02). Survey definitions and rounds: customer service,
sales managers/directors and management. Responses, recipients and follow-ups: as their
customer is visible (the owner sees their own). Imported from SurveysConfig.ready()."""

from crm_project.accounts import access
from crm_project.accounts.roles import Role
from customers.models import Customer

from .models import Recipient, Survey, SurveyFollowUp, SurveyResponse, SurveyRound

SURVEY_ROLES = (Role.CUSTOMER_SERVICE, Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.MANAGEMENT)


def _survey_definitions(user, queryset):
    return queryset if user.is_superuser or user.has_role(*SURVEY_ROLES) else queryset.none()


def _by_customer(path: str):
    def rule(user, queryset):
        if user.is_superuser or user.has_role(*SURVEY_ROLES):
            return queryset
        return queryset.filter(**{f"{path}__in": access.visible_to(user, Customer.objects.all())})

    return rule


access.register(Survey, _survey_definitions)
access.register(SurveyRound, _survey_definitions)
access.register(Recipient, _by_customer("customer"))
access.register(SurveyResponse, _by_customer("recipient__customer"))
access.register(SurveyFollowUp, _by_customer("customer"))
