"""TEN-03, JOB-06: a passed target escalates once per request, target and round (JOB-09) to the
head of the department assigned and to the operations manager (the head of the desk's
department). The RequestEscalation row's unique constraint decides, so two workers running at
the same moment cannot both escalate the same breach."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from crm_project.accounts.roles import Role
from crm_project.accounts.selectors import active_users_with_role
from crm_project.notifications.services import notify

from ..models import Category, RequestEscalation, TenantRequest
from ..selectors import escalated, open_breach, operations_manager
from .common import request_url

Target = RequestEscalation.Target

TITLES = {
    Target.RESPONSE: gettext_lazy("Tenant request %(reference)s not answered in time (%(category)s)"),
    Target.RESOLUTION: gettext_lazy("Tenant request %(reference)s not resolved in time (%(category)s)"),
}


def _recipients(request: TenantRequest, manager) -> list:
    people = []
    head = request.department.head if request.department_id else None
    for person in (head, manager):
        if person is not None and person.is_active and person not in people:
            people.append(person)
    return people or list(active_users_with_role(Role.MANAGEMENT))


def _escalate(request: TenantRequest, target: str, recipients: list) -> bool:
    due = request.response_due_at if target == Target.RESPONSE else request.resolve_due_at
    try:
        with transaction.atomic():
            RequestEscalation.objects.create(request=request, target=target, round=request.reopen_count)
            for person in recipients:
                notify(
                    recipient=person,
                    key=f"tenant-request-escalation:{request.pk}:{target}:{request.reopen_count}:{person.pk}",
                    kind="tenant-escalation",
                    title=TITLES[target],
                    body=gettext_lazy("Due %(due)s. %(unit)s %(shop)s: %(text)s"),
                    params={
                        "reference": request.reference,
                        "category": Category(request.category).label,
                        "due": due,
                        "unit": request.unit,
                        "shop": request.tenant.shop_name,
                        "text": request.description[:200],
                    },
                    url=request_url(request),
                )
    except IntegrityError:
        return False  # another run escalated it first
    return True


def request_escalate_breaches(*, now: datetime | None = None) -> int:
    """Escalate every open breach not yet escalated in the request's round; returns how many
    this call escalated."""
    now = now or timezone.now()
    manager = operations_manager()
    count = 0
    for target in (Target.RESPONSE, Target.RESOLUTION):
        due = (
            TenantRequest.objects.filter(open_breach(target, now))
            .filter(~escalated(target))
            .select_related("tenant", "department__head")
            .order_by("pk")
        )
        for request in list(due):
            count += _escalate(request, target, _recipients(request, manager))
    return count
