from .desk import Recording, RecordingPurge, StorageItem
from .fire import FireInspection, FireInspectionNotice, FireInspectionPhoto, InspectionResult, Rectification
from .requests import (
    ONLINE_CHANNELS,
    OPEN_STATUSES,
    UNRESOLVED_STATUSES,
    Category,
    Channel,
    OnlineReply,
    RequestEscalation,
    RequestEvent,
    RequestPhoto,
    Status,
    TenantRequest,
)
from .tenants import Tenant, TenantContact

__all__ = [
    "ONLINE_CHANNELS",
    "OPEN_STATUSES",
    "UNRESOLVED_STATUSES",
    "Category",
    "Channel",
    "FireInspection",
    "FireInspectionNotice",
    "FireInspectionPhoto",
    "InspectionResult",
    "OnlineReply",
    "Recording",
    "RecordingPurge",
    "Rectification",
    "RequestEscalation",
    "RequestEvent",
    "RequestPhoto",
    "Status",
    "StorageItem",
    "Tenant",
    "TenantContact",
    "TenantRequest",
]
