"""Reads. Every list, page, export, API call and job acting for a user starts from
`tenant_visible_to(user)` / `request_visible_to(user)` (ORG-02)."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import BooleanField, Case, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from crm_project.accounts.access import visible_to
from crm_project.accounts.models import Department, User

from .models import (
    OPEN_STATUSES,
    Recording,
    RequestEscalation,
    Status,
    StorageItem,
    Tenant,
    TenantRequest,
)


def tenant_visible_to(user) -> QuerySet[Tenant]:
    return visible_to(user, Tenant.objects.all())


def request_visible_to(user) -> QuerySet[TenantRequest]:
    return visible_to(user, TenantRequest.objects.all())


def recording_visible_to(user) -> QuerySet[Recording]:
    return visible_to(user, Recording.objects.all())


def storage_visible_to(user) -> QuerySet[StorageItem]:
    return visible_to(user, StorageItem.objects.all())


def search_tenants(queryset: QuerySet[Tenant], text: str) -> QuerySet[Tenant]:
    """Shop, unit, contact or phone, in Chinese or not, on the indexed `search_text` (like the
    customer search: a trigram index for 3+ characters, the characters' index for 1–2)."""
    text = (text or "").strip().lower()
    if not text:
        return queryset
    return queryset.filter(search_text__contains=text)


def lease_warning_until(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=settings.TENANT_LEASE_WARNING_DAYS)


def with_lease_flag(queryset: QuerySet[Tenant], today: date | None = None) -> QuerySet[Tenant]:
    """`lease_ending`: the lease ends within TENANT_LEASE_WARNING_DAYS (TEN-01)."""
    today = today or timezone.localdate()
    ending = Q(lease_end__gte=today, lease_end__lte=lease_warning_until(today))
    return queryset.annotate(lease_ending=ExpressionWrapper(ending, output_field=BooleanField()))


# --- breaches (TEN-03) ------------------------------------------------------------------------


def response_breached(now: datetime) -> Q:
    """The response target passed: answered late, or not answered and the time is up."""
    return Q(response_due_at__isnull=False) & (
        Q(responded_at__gt=F("response_due_at")) | Q(responded_at__isnull=True, response_due_at__lt=now)
    )


def resolve_breached(now: datetime) -> Q:
    return Q(resolve_due_at__isnull=False) & (
        Q(resolved_at__gt=F("resolve_due_at")) | Q(resolved_at__isnull=True, resolve_due_at__lt=now)
    )


def breached(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return response_breached(now) | resolve_breached(now)


def open_breach(target: str, now: datetime) -> Q:
    """A target passed and still not met: what the escalation job acts on (JOB-06)."""
    if target == RequestEscalation.Target.RESPONSE:
        return Q(responded_at__isnull=True, response_due_at__lt=now, status__in=OPEN_STATUSES)
    return Q(resolved_at__isnull=True, resolve_due_at__lt=now, status__in=OPEN_STATUSES)


def escalated(target: str) -> Exists:
    return Exists(
        RequestEscalation.objects.filter(request=OuterRef("pk"), target=target, round=OuterRef("reopen_count"))
    )


def with_flags(queryset: QuerySet[TenantRequest], now: datetime | None = None) -> QuerySet[TenantRequest]:
    """Annotate `is_breached` and `next_due_at` (the target still running, for the time left)."""
    now = now or timezone.now()
    return queryset.annotate(
        # CASE, not a bare boolean: a comparison with a NULL time is NULL, and this must be false.
        is_breached=Case(When(breached(now), then=Value(True)), default=Value(False), output_field=BooleanField()),
        next_due_at=Case(
            When(status__in=(Status.RESOLVED, Status.CONFIRMED), then=Value(None)),
            When(responded_at__isnull=True, then=Least("response_due_at", "resolve_due_at")),
            default=F("resolve_due_at"),
        ),
    )


def desk_requests(user, now: datetime | None = None) -> QuerySet[TenantRequest]:
    """TEN-02, DSH-02: the open requests, breaches first, then the nearest due; one query."""
    return (
        with_flags(request_visible_to(user).filter(status__in=OPEN_STATUSES), now)
        .select_related("tenant", "department")
        .order_by("-is_breached", Coalesce("next_due_at", "logged_at").asc(nulls_last=True), "pk")
    )


def assigned_to_my_department(user, now: datetime | None = None) -> QuerySet[TenantRequest]:
    """ "My work": the unresolved requests assigned to my department, breaches first."""
    if not user.department_id:
        return TenantRequest.objects.none()
    return desk_requests(user, now).filter(department_id=user.department_id).exclude(status=Status.RESOLVED)


def operations_manager() -> User | None:
    department = Department.objects.filter(code=settings.TENANT_DESK_DEPARTMENT).select_related("head").first()
    head = department.head if department else None
    return head if head is not None and head.is_active else None


def departments_for_assignment() -> QuerySet[Department]:
    return Department.objects.order_by("code")


def open_storage_items(user) -> QuerySet[StorageItem]:
    """TEN-09: not yet picked up, the oldest first."""
    return (
        storage_visible_to(user)
        .filter(picked_up_at__isnull=True)
        .select_related("tenant")
        .order_by("received_at", "pk")
    )


def recording_purge_due(now: datetime | None = None) -> QuerySet[Recording]:
    """TEN-04, JOB-07: past the retention, not archived, not yet purged."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TENANT_RECORDING_RETENTION_DAYS)
    return Recording.objects.filter(archived_at__isnull=True, purged_at__isnull=True, uploaded_at__lt=cutoff)
