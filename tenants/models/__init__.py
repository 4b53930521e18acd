from .bulk import BulkNotice, BulkNoticeDelivery, DeliveryChannel, NoticeKind
from .desk import Recording, RecordingPurge, StorageItem
from .fees import FeeScheduleItem
from .fire import FireInspection, FireInspectionNotice, FireInspectionPhoto, InspectionResult, Rectification
from .meetings import MeetingAttendance, TenantMeeting
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
    "FeeScheduleItem",
    "FireInspection",
    "FireInspectionNotice",
    "FireInspectionPhoto",
    "InspectionResult",
    "MeetingAttendance",
    "Notice",
    "NoticeAddressee",
    "NoticeKind",
    "NoticeStatus",
    "NoticeTemplate",
    "OnlineReply",
    "ReceiptMethod",
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
    "TenantMeeting",
    "TenantRequest",
    "TenantVisit",
    "VisitOutcome",
]
