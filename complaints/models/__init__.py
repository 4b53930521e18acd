"""Complaints 投诉 (DOMAIN §7, CMP-01 … CMP-05); the satisfaction surveys are in crm_project/surveys."""

from .complaints import (
    Channel,
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintStatus,
    Escalation,
    ServiceStandard,
    Severity,
)

__all__ = [
    "Channel", "Complaint", "ComplaintCategory", "ComplaintEvent", "ComplaintStatus", "Escalation",
    "ServiceStandard", "Severity",
]  # fmt: skip
