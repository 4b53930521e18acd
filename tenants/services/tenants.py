"""The tenant archive (TEN-01): a shop with its unit, lease and contacts, kept by operations.
Every change is in the audit history (ORG-03); the search text follows every change."""

from datetime import date

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.core.errors import DomainError

from ..models import Tenant, TenantContact
from ..permissions import can_keep_archive
from .common import require

TENANT_FIELDS = ("shop_name", "unit", "floor", "business_type", "lease_start", "lease_end", "notes")
CONTACT_FIELDS = ("name", "role", "phone", "wechat", "email", "is_primary")

_REFRESH_SQL = """
UPDATE tenants_tenant AS t
SET search_text = lower(concat_ws(' ', t.unit, t.shop_name, t.business_type, (
    SELECT string_agg(concat_ws(' ', c.name, c.phone, c.wechat), ' ')
    FROM tenants_tenantcontact AS c WHERE c.tenant_id = t.id
)))
WHERE t.id = ANY(%s)
"""


def tenant_refresh_search_text(*, tenant_ids) -> None:
    ids = list(tenant_ids)
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(_REFRESH_SQL, [ids])


def _check(values: dict) -> dict:
    cleaned = {name: values.get(name) for name in TENANT_FIELDS}
    for name in ("shop_name", "unit", "floor", "business_type"):
        cleaned[name] = (cleaned[name] or "").strip()
        if not cleaned[name]:
            raise DomainError(
                _("Please fill in %(field)s.") % {"field": Tenant._meta.get_field(name).verbose_name}, field=name
            )
    cleaned["unit"] = cleaned["unit"].upper()
    cleaned["notes"] = (cleaned["notes"] or "").strip()
    for name in ("lease_start", "lease_end"):
        if not isinstance(cleaned[name], date):
            raise DomainError(
                _("Give the %(field)s as a date.") % {"field": Tenant._meta.get_field(name).verbose_name}, field=name
            )
    if cleaned["lease_end"] < cleaned["lease_start"]:
        raise DomainError(_("The lease cannot end before it starts."), field="lease_end")
    return cleaned


def _unit_taken(unit: str, exclude: int | None) -> DomainError:
    other = Tenant.objects.filter(unit=unit, moved_out_at__isnull=True).exclude(pk=exclude).first()
    name = other.shop_name if other else ""
    return DomainError(
        _("Unit %(unit)s is let to %(shop)s. Record that tenant's move-out first.") % {"unit": unit, "shop": name},
        field="unit",
    )


def _save_contacts(tenant: Tenant, contacts: list[dict] | None, actor) -> None:
    if contacts is None:
        return
    cleaned = []
    for index, contact in enumerate(contacts):
        name = (contact.get("name") or "").strip()
        if not name:
            raise DomainError(_("Contact %(n)d has no name.") % {"n": index + 1}, field="contacts")
        cleaned.append(
            {
                field: (contact.get(field) or "") if field != "is_primary" else bool(contact.get(field))
                for field in CONTACT_FIELDS
            }
            | {"name": name}
        )
    if sum(1 for contact in cleaned if contact["is_primary"]) > 1:
        raise DomainError(_("Only one contact can be the main contact."), field="contacts")
    if cleaned and not any(contact["is_primary"] for contact in cleaned):
        cleaned[0]["is_primary"] = True
    existing = list(tenant.contacts.all())
    for contact, values in zip(existing, cleaned, strict=False):
        changed = [field for field in CONTACT_FIELDS if getattr(contact, field) != values[field]]
        if changed:
            for field in changed:
                setattr(contact, field, values[field])
            contact._history_user = actor
            contact.save(update_fields=changed)
    for contact in existing[len(cleaned) :]:
        contact._history_user = actor
        contact.delete()
    for values in cleaned[len(existing) :]:
        contact = TenantContact(tenant=tenant, **values)
        contact._history_user = actor
        contact.save()


def tenant_create(*, actor, contacts: list[dict] | None = None, **values) -> Tenant:
    """TEN-01: a new shop in the archive, with its contacts (the first is the main one unless
    another is marked)."""
    require(can_keep_archive(actor), _("Only operations keeps the tenant archive."))
    cleaned = _check(values)
    try:
        with transaction.atomic():
            tenant = Tenant(**cleaned)
            tenant._history_user = actor
            tenant.save()
            _save_contacts(tenant, contacts or [], actor)
            tenant_refresh_search_text(tenant_ids=[tenant.pk])
    except IntegrityError:
        raise _unit_taken(cleaned["unit"], None) from None
    tenant.refresh_from_db()
    return tenant


def tenant_update(*, actor, tenant: Tenant, contacts: list[dict] | None = None, **values) -> Tenant:
    """Change the shop's record; `contacts`, when given, replaces the list in order."""
    require(can_keep_archive(actor), _("Only operations keeps the tenant archive."))
    cleaned = _check({**{name: getattr(tenant, name) for name in TENANT_FIELDS}, **values})
    try:
        with transaction.atomic():
            tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
            if tenant.moved_out_at:
                raise DomainError(_("This tenant has moved out; its record is kept as it was."))
            changed = [name for name in TENANT_FIELDS if getattr(tenant, name) != cleaned[name]]
            for name in changed:
                setattr(tenant, name, cleaned[name])
            if changed:
                tenant._history_user = actor
                tenant.save(update_fields=changed)
            _save_contacts(tenant, contacts, actor)
            tenant_refresh_search_text(tenant_ids=[tenant.pk])
    except IntegrityError:
        raise _unit_taken(cleaned["unit"], tenant.pk) from None
    tenant.refresh_from_db()
    return tenant


def tenant_move_out(*, actor, tenant: Tenant, when=None) -> Tenant:
    """The shop has left: its record and requests stay; the unit can be let again."""
    require(can_keep_archive(actor), _("Only operations keeps the tenant archive."))
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if tenant.moved_out_at:
            raise DomainError(_("This tenant has already moved out."))
        tenant.moved_out_at = when or timezone.now()
        tenant._history_user = actor
        tenant._change_reason = _("Moved out")
        tenant.save(update_fields=["moved_out_at"])
    return tenant
