"""Tenant meetings (TEN-05) and the fee schedule (TEN-10) in the access registry (ORG-02):
they are the desk's — operations and management (read-only) see them, nobody else does. The
published fee schedule is public by design and read outside the registry (selectors_meetings)."""

from crm_project.accounts import access

from .access_rules import desk_only
from .models import FeeScheduleItem, MeetingAttendance, TenantMeeting

for model in (TenantMeeting, MeetingAttendance, FeeScheduleItem):
    access.register(model, desk_only)
