"""Tenant visits and bulk notices in the access registry (ORG-02, TEN-08): the desk's records.
Operations and management (read-only) see them all; nobody else sees any."""

from crm_project.accounts import access

from .access_rules import sees_whole_desk
from .models import BulkNotice, BulkNoticeDelivery, TenantVisit


def _desk_only(user, queryset):
    return queryset if sees_whole_desk(user) else queryset.none()


for model in (TenantVisit, BulkNotice, BulkNoticeDelivery):
    access.register(model, _desk_only)
