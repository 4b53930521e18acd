"""Tenant visits and bulk notices in the access registry (ORG-02, TEN-08): the desk's records.
Operations and management (read-only) see them all; nobody else sees any."""

from crm_project.accounts import access

from .access_rules import desk_only
from .models import BulkNotice, BulkNoticeDelivery, TenantVisit

for model in (TenantVisit, BulkNotice, BulkNoticeDelivery):
    access.register(model, desk_only)
