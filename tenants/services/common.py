"""The shape every desk step shares: the row locked, the save with who and why for the audit
history (ORG-03), the step on the request's timeline (TEN-02), notifications after commit."""

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.services import notify

from ..models import RequestEvent, TenantRequest


def require(allowed: bool, message: str) -> None:
    """A role that may never do this step: 403 in the API."""
    if not allowed:
        raise PermissionDenied(message)


def next_reference(logged_at) -> str:
    """TR-2026-000123: the year logged, then a number from a sequence (never reused)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('tenants_request_reference_seq')")
        number = cursor.fetchone()[0]
    return f"TR-{timezone.localtime(logged_at).year}-{number:06d}"


def locked(request: TenantRequest) -> TenantRequest:
    return TenantRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)


def save(instance, actor, fields: list[str], reason: str = "") -> None:
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save(update_fields=sorted(set(fields)))


def record_step(request: TenantRequest, *, actor, action: str, from_status: str, note: str = "") -> RequestEvent:
    return RequestEvent.objects.create(
        request=request, action=action, from_status=from_status, to_status=request.status, user=actor, note=note
    )


def request_url(request: TenantRequest) -> str:
    return reverse("tenants:request_detail", args=[request.pk])


def notify_on_commit(recipients, *, key: str, request: TenantRequest, title, body="", params=None, kind="tenant"):
    """Tell each active recipient once per `key` (the recipient's id is added to it)."""
    people = {person.pk: person for person in recipients if person is not None and person.is_active}
    merged = {"reference": request.reference, "shop": request.tenant.shop_name, "unit": request.unit, **(params or {})}
    url = request_url(request)

    def send():
        for person in people.values():
            notify(
                recipient=person, key=f"{key}:{person.pk}", kind=kind, title=title, body=body, params=merged, url=url
            )

    transaction.on_commit(send)


def text_field(value: str, *, field: str, label: str, limit: int, required: bool = True) -> str:
    """A typed-in text, trimmed: refused when required and empty, or longer than `limit`."""
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("Please fill in %(field)s.") % {"field": label}, field=field)
    if len(value) > limit:
        raise DomainError(
            _("%(field)s is too long: at most %(limit)s characters.") % {"field": label, "limit": limit}, field=field
        )
    return value
