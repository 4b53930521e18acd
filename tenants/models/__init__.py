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
    "ONLINE_CHANNELS",
    "OPEN_STATUSES",
    "UNRESOLVED_STATUSES",
    "BulkNotice",
    "BulkNoticeDelivery",
    "Category",
    "Channel",
    "DeliveryChannel",
    "NoticeKind",
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
    "TenantVisit",
    "VisitOutcome",
]
