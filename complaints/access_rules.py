"""Complaints in the access registry (ORG-02); the surveys' rules are in crm_project/surveys.

Complaints: customer service (who takes them in) and management see all; a department
sees those assigned to it; sales sees the complaints of the customers it may see; operations
sees the tenants' complaints (CMP-01).
"""

from django.db.models import Q

from crm_project.accounts import access
from crm_project.accounts.roles import Role
from customers.models import Customer

from .models import Complaint


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


access.register(Complaint, _complaints)
