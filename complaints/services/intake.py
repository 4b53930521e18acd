"""Complaint intake (CMP-01): staff log complaints from any channel; the public form files
one without a login. Both get a reference number, targets from the service standard
(CMP-04) and a status link for the complainant."""

import ipaddress
from datetime import datetime

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from crm_project.accounts.roles import Role
from crm_project.accounts.selectors import active_users_with_role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.services import notify
from customers.models import Contact, Customer

from ..models import Channel, Complaint, ComplaintCategory, ComplaintStatus, Severity
from ..permissions import can_log_complaint, can_match_customer
from ..selectors import complaint_visible_to, customers_for_intake
from .common import due_dates, new_status_token, record_step

# The public form's size limits (CMP-01); the staff form uses the model's.
NAME_MAX = 100
CONTACT_MAX = 150
COMPANY_MAX = 200
TEXT_MAX = 5000


def next_reference(received_at: datetime) -> str:
    """TS-2026-000123: the year received, then a number from a sequence (never reused)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('complaints_complaint_reference_seq')")
        number = cursor.fetchone()[0]
    return f"TS-{timezone.localtime(received_at).year}-{number:06d}"


def _clean(value: str, *, label: str, field: str, limit: int, required: bool) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise DomainError(_("%(field)s contains a character that is not allowed.") % {"field": label}, field=field)
    if required and not value:
        raise DomainError(_("Please fill in %(field)s.") % {"field": label}, field=field)
    if len(value) > limit:
        raise DomainError(
            _("%(field)s is too long: at most %(limit)s characters (it has %(length)s).")
            % {"field": label, "limit": limit, "length": len(value)},
            field=field,
        )
    return value


def _valid_address(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def _create(
    *,
    actor,
    channel: str,
    customer: Customer | None,
    contact: Contact | None,
    name: str,
    contact_text: str,
    company: str,
    text: str,
    category: str,
    severity: str,
    received_at: datetime,
    address: str | None = None,
    tenant=None,
) -> tuple[Complaint, str]:
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."), field="channel")
    if category and category not in ComplaintCategory.values:
        raise DomainError(_("Unknown category."), field="category")
    if severity not in Severity.values:
        raise DomainError(_("Unknown severity."), field="severity")
    token, token_hash = new_status_token()
    response_due, solution_due = due_dates(severity, received_at)
    complaint = Complaint(
        reference=next_reference(received_at),
        channel=channel,
        status=ComplaintStatus.RECEIVED,
        customer=customer,
        contact=contact,
        tenant=tenant,
        complainant_name=name,
        complainant_contact=contact_text,
        complainant_company=company,
        text=text,
        category=category,
        severity=severity,
        received_at=received_at,
        received_by=actor,
        response_due_at=response_due,
        solution_due_at=solution_due,
        status_token_hash=token_hash,
        submitted_from=_valid_address(address),
    )
    complaint._history_user = actor
    complaint.save()
    record_step(complaint, user=actor, from_status="")
    complaint.status_token = token
    return complaint, token


def complaint_log(
    *,
    actor,
    channel: str,
    customer: Customer | None = None,
    contact: Contact | None = None,
    complainant_name: str,
    complainant_contact: str,
    complainant_company: str = "",
    text: str,
    category: str = "",
    severity: str = Severity.NORMAL,
    received_at: datetime | None = None,
) -> Complaint:
    """CMP-01: a complaint taken in by staff — customer service from any channel, or sales
    for a customer it can see. `received_at` is when the complainant called or wrote (now by
    default; never in the future). The returned complaint carries `status_token`, the raw
    token of the complainant's status link, only this once."""
    if customer is not None and not customers_for_intake(actor).filter(pk=customer.pk).exists():
        raise DomainError(_("Unknown customer."), field="customer")
    if not can_log_complaint(actor, customer):
        if customer is None and not actor.is_superuser:
            raise PermissionDenied(_("Only customer service logs a complaint without a customer."))
        raise PermissionDenied(_("You may not log complaints."))
    if contact is not None and (customer is None or contact.customer_id != customer.pk):
        raise DomainError(_("The contact person must belong to the customer."), field="contact")
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise DomainError(_("A complaint cannot be received in the future."), field="received_at")
    name = _clean(complainant_name, label=_("the complainant"), field="complainant_name", limit=NAME_MAX,
                  required=True)  # fmt: skip
    with transaction.atomic():
        complaint, _token = _create(
            actor=actor,
            channel=channel,
            customer=customer,
            contact=contact,
            name=name,
            contact_text=_clean(
                complainant_contact,
                label=_("the phone or e-mail"),
                field="complainant_contact",
                limit=CONTACT_MAX,
                required=False,
            ),
            company=_clean(
                complainant_company or (customer.name if customer else ""),
                label=_("the company"),
                field="complainant_company",
                limit=COMPANY_MAX,
                required=False,
            ),
            text=_clean(
                text, label=pgettext("complaint text", "the complaint"), field="text", limit=TEXT_MAX, required=True
            ),
            category=category,
            severity=severity,
            received_at=received_at,
        )
    return complaint


def complaint_submit_public(
    *, name: str, contact: str, company: str, text: str, address: str | None
) -> tuple[Complaint, str]:
    """CMP-01: the public form (no login). No customer yet — customer service matches it to
    one later. Returns the complaint and the raw status token (shown once)."""
    cleaned = {
        "name": _clean(name, label=_("your name"), field="name", limit=NAME_MAX, required=True),
        "contact_text": _clean(
            contact, label=_("your phone or e-mail"), field="contact", limit=CONTACT_MAX, required=True
        ),
        "company": _clean(company, label=_("your company"), field="company", limit=COMPANY_MAX, required=False),
        "text": _clean(text, label=_("your complaint"), field="text", limit=TEXT_MAX, required=True),
    }
    with transaction.atomic():
        complaint, token = _create(
            actor=None,
            channel=Channel.WEB,
            customer=None,
            contact=None,
            category="",
            severity=Severity.NORMAL,
            received_at=timezone.now(),
            address=address,
            **cleaned,
        )
        transaction.on_commit(lambda: _tell_customer_service(complaint))
    return complaint, token


PUBLIC_FORM_TITLE = gettext_lazy("New complaint %(reference)s from the public form")
TENANT_DESK_TITLE = gettext_lazy("New complaint %(reference)s from the tenant service desk")


def complaint_log_from_desk(
    *, actor, channel: str, tenant, complainant_name: str, complainant_contact: str, complainant_company: str,
    text: str, received_at: datetime, note: str = "",
) -> Complaint:  # fmt: skip
    """CMP-01: a tenant's complaint taken at the tenant service desk (tenants/services/complaints.py),
    inside the desk's transaction. The desk is a complaint channel in its own right, so its
    staff need no complaint role; customer service hears of it at once and takes it on."""
    complaint, _token = _create(
        actor=actor,
        channel=channel,
        customer=None,
        contact=None,
        tenant=tenant,
        name=complainant_name[:NAME_MAX],
        contact_text=complainant_contact[:CONTACT_MAX],
        company=complainant_company[:COMPANY_MAX],
        text=text[:TEXT_MAX],
        category="",
        severity=Severity.NORMAL,
        received_at=received_at,
    )
    if note:
        complaint.events.update(note=note)
    transaction.on_commit(lambda: _tell_customer_service(complaint, title=TENANT_DESK_TITLE))
    return complaint


def _tell_customer_service(complaint: Complaint, *, title=PUBLIC_FORM_TITLE) -> None:
    """CMP-01: nobody watches the public form (or the tenant desk's complaints), so customer
    service hears of each complaint at once."""
    for person in active_users_with_role(Role.CUSTOMER_SERVICE):
        notify(
            recipient=person,
            key=f"complaint-received:{complaint.pk}:{person.pk}",
            kind="complaint",
            title=title,
            body=gettext_lazy("%(name)s (%(company)s): %(text)s"),
            params={
                "reference": complaint.reference,
                "name": complaint.complainant_name,
                "company": complaint.complainant_company or "—",
                "text": complaint.text[:200],
            },
            url=reverse("complaints:complaint_detail", args=[complaint.pk]),
        )


def complaint_match_customer(*, actor, complaint: Complaint, customer: Customer, contact: Contact | None = None):
    """Customer service matches a public complaint to the customer it is about."""
    if not can_match_customer(actor):
        raise PermissionDenied(_("Only customer service matches a complaint to a customer."))
    if not customers_for_intake(actor).filter(pk=customer.pk).exists():
        raise DomainError(_("Unknown customer."), field="customer")
    if contact is not None and contact.customer_id != customer.pk:
        raise DomainError(_("The contact person must belong to the customer."), field="contact")
    with transaction.atomic():
        complaint = complaint_visible_to(actor).select_for_update(of=("self",)).get(pk=complaint.pk)
        if complaint.customer_id == customer.pk and complaint.contact_id == (contact.pk if contact else None):
            return complaint
        complaint.customer, complaint.contact = customer, contact
        complaint._history_user = actor
        complaint._change_reason = _("Matched to customer %(code)s") % {"code": customer.code}
        complaint.save(update_fields=["customer", "contact"])
        record_step(
            complaint,
            user=actor,
            from_status=complaint.status,
            note=_("Matched to customer %(name)s (%(code)s).") % {"name": customer.name, "code": customer.code},
        )
    return complaint


def complaint_for_token(token: str) -> Complaint | None:
    """The complaint a status link points to, or None."""
    from .common import token_hash

    if not token or len(token) > 100:
        return None
    return Complaint.objects.filter(status_token_hash=token_hash(token)).first()
