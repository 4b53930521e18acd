"""Contact persons (CUS-04). Anything that affects fees — adding or removing a fee-receiving
contact, or changing a share — goes through a change request instead (CUS-05)."""

from django.db import transaction
from django.utils.translation import gettext as _

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError, PermissionDenied

from ..models import Contact, Customer
from ..permissions import can_edit_customer
from .search import customer_refresh_search_text

FEE_FIELDS = ("receives_fee", "fee_share")
CONTACT_FIELDS = ("name", "role", "phone", "wechat", "email", "birthday")


def _refuse_fee_fields(data: dict, contact: Contact | None = None) -> None:
    for name in FEE_FIELDS:
        if name not in data:
            continue
        current = getattr(contact, name) if contact else Contact._meta.get_field(name).get_default()
        if data[name] != current:
            raise DomainError(
                _("Fee-receiving contacts and shares change only through a change request (附表5)."), field=name
            )


def contact_create(*, actor: User, customer: Customer, data: dict) -> Contact:
    """A contact who receives no fee; fee-receiving ones come through a change request."""
    if not can_edit_customer(actor, customer):
        raise PermissionDenied(_("You may not edit this customer's contacts."))
    _refuse_fee_fields(data)
    with transaction.atomic():
        contact = Contact.objects.create(customer=customer, **{k: v for k, v in data.items() if k in CONTACT_FIELDS})
        customer_refresh_search_text(customer_ids=[customer.pk])
    return contact


def contact_update(*, actor: User, contact: Contact, data: dict) -> Contact:
    if not can_edit_customer(actor, contact.customer):
        raise PermissionDenied(_("You may not edit this customer's contacts."))
    _refuse_fee_fields(data, contact)
    changed = [name for name in CONTACT_FIELDS if name in data and getattr(contact, name) != data[name]]
    if changed:
        with transaction.atomic():
            for name in changed:
                setattr(contact, name, data[name])
            contact.save(update_fields=changed)
            customer_refresh_search_text(customer_ids=[contact.customer_id])
    return contact


def contact_deactivate(*, actor: User, contact: Contact) -> Contact:
    """Remove a non-fee contact from the customer (kept, inactive, for the history)."""
    if not can_edit_customer(actor, contact.customer):
        raise PermissionDenied(_("You may not edit this customer's contacts."))
    if contact.receives_fee:
        raise DomainError(_("A fee-receiving contact is removed through a change request (附表5)."))
    with transaction.atomic():
        contact.active = False
        contact.save(update_fields=["active"])
        customer_refresh_search_text(customer_ids=[contact.customer_id])
    return contact
