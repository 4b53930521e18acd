"""Reads. Every list, page, export, API call and job acting for a user starts from
`complaint_visible_to(user)` (ORG-02)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Least
from django.utils import timezone

from crm_project.accounts.access import visible_to
from customers.models import Customer
from customers.selectors import customer_visible_to

from .models import Complaint, ComplaintStatus, Escalation, ServiceStandard
from .permissions import is_customer_service

# Before these, the solution target still runs (CMP-04).
AWAITING_SOLUTION = (ComplaintStatus.RECEIVED, ComplaintStatus.ASSIGNED, ComplaintStatus.INVESTIGATING)
OPEN_STATUSES = tuple(status for status in ComplaintStatus if status != ComplaintStatus.CLOSED)


def repeat_window() -> timedelta:
    """CMP-05: a complaint is a repeat when the same customer complained in the same category
    within this many days before (setting COMPLAINT_REPEAT_DAYS)."""
    return timedelta(days=getattr(settings, "COMPLAINT_REPEAT_DAYS", 90))


def complaint_visible_to(user) -> QuerySet[Complaint]:
    return visible_to(user, Complaint.objects.all())


def customers_for_intake(user) -> QuerySet[Customer]:
    """The customers a complaint may be logged for or matched to. Customer service takes in
    complaints about any customer, so it picks from all of them (name and code only — it
    does not thereby see the customer's page); sales picks from the customers it sees."""
    if is_customer_service(user):
        return Customer.objects.filter(archived_at__isnull=True)
    return customer_visible_to(user).filter(archived_at__isnull=True)


def response_breached(now: datetime) -> Q:
    return Q(responded_at__isnull=True, response_due_at__lt=now) & ~Q(status=ComplaintStatus.CLOSED)


def solution_breached(now: datetime) -> Q:
    return Q(status__in=AWAITING_SOLUTION, solution_due_at__lt=now)


def overdue(now: datetime | None = None) -> Q:
    """A target passed and not met (CMP-04)."""
    now = now or timezone.now()
    return response_breached(now) | solution_breached(now)


def with_flags(queryset: QuerySet[Complaint], now: datetime | None = None) -> QuerySet[Complaint]:
    """Annotate `is_overdue` and `is_repeat` (CMP-04, CMP-05) in the same query."""
    now = now or timezone.now()
    earlier = Complaint.objects.filter(
        customer_id=OuterRef("customer_id"),
        category=OuterRef("category"),
        received_at__lt=OuterRef("received_at"),
        received_at__gte=OuterRef("received_at") - repeat_window(),
    ).exclude(category="")
    return queryset.annotate(
        is_overdue=ExpressionWrapper(overdue(now), output_field=BooleanField()),
        is_repeat=Exists(earlier),
    )


def escalated(target: str) -> Exists:
    return Exists(Escalation.objects.filter(complaint=OuterRef("pk"), target=target, round=OuterRef("reopen_count")))


def service_standard_for(severity: str) -> ServiceStandard:
    standard = ServiceStandard.objects.filter(severity=severity).first()
    if standard is None:
        # Never without targets: the policy's defaults (CMP-04) if an admin removed the row.
        standard = ServiceStandard(severity=severity, response_hours=24, solution_days=1 if severity == "urgent" else 5)
    return standard


def with_time_left(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Annotate `next_due_at`: the target still running (CMP-04) — the first response while it
    is not given, the solution until one is proposed; None once neither runs (the customer is
    being informed or the complaint waits to be closed). Order by it for "time left"."""
    awaiting = Q(status__in=AWAITING_SOLUTION)
    return queryset.annotate(
        next_due_at=Case(
            When(awaiting & Q(responded_at__isnull=True), then=Least("response_due_at", "solution_due_at")),
            When(awaiting, then=F("solution_due_at")),
            When(Q(responded_at__isnull=True) & ~Q(status=ComplaintStatus.CLOSED), then=F("response_due_at")),
            default=Value(None),
            output_field=DateTimeField(),
        )
    )
