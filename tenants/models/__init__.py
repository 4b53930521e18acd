from .desk import Recording, RecordingPurge, StorageItem
from .fees import FeeScheduleItem
from .meetings import MeetingAttendance, TenantMeeting
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
    "FeeScheduleItem",
    "MeetingAttendance",
    "OnlineReply",
    "Recording",
    "RecordingPurge",
    "RequestEscalation",
    "RequestEvent",
    "RequestPhoto",
    "Status",
    "StorageItem",
    "Tenant",
    "TenantContact",
    "TenantMeeting",
    "TenantRequest",
]
