from .bulk import BulkNotice, BulkNoticeDelivery, DeliveryChannel, NoticeKind
from .desk import Recording, RecordingPurge, StorageItem
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
from .visits import TenantVisit, VisitOutcome

__all__ = [
    "BulkNotice",
    "BulkNoticeDelivery",
    "DeliveryChannel",
    "NoticeKind",
    "TenantVisit",
    "VisitOutcome",
    "ONLINE_CHANNELS",
    "OPEN_STATUSES",
    "UNRESOLVED_STATUSES",
    "Category",
    "Channel",
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
    "TenantRequest",
]
