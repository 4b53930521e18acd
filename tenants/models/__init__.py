from .desk import Recording, RecordingPurge, StorageItem
from .notices import Notice, NoticeAddressee, NoticeStatus, NoticeTemplate, ReceiptMethod
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
    "Notice",
    "NoticeAddressee",
    "NoticeStatus",
    "NoticeTemplate",
    "OnlineReply",
    "ReceiptMethod",
    "Recording",
    "RecordingPurge",
    "RequestEscalation",
    "RequestEvent",
    "RequestPhoto",
    "Status",
    "StorageItem",
    "Tenant",
    "TenantContact",
    "TenantRequest",
]
