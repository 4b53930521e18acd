"""Excel exports of the tenant archive, the storage log 临时物品寄存记录表 and the recording
archive 录音存档记录表: exactly the rows of the screen (ORG-02)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.core.exports import Column, Export

from .models import TenantContact


def main_contact(tenant):
    contacts = list(tenant.contacts.all())
    primary = next((contact for contact in contacts if contact.is_primary), contacts[0] if contacts else None)
    return primary


def _contact(field):
    def read(tenant):
        contact = main_contact(tenant)
        return getattr(contact, field, "") if contact else ""

    return read


def with_contacts(queryset):
    return queryset.prefetch_related(Prefetch("contacts", queryset=TenantContact.objects.order_by("-is_primary", "pk")))


class TenantExport(Export):
    name = "tenants"
    columns = [
        Column(gettext_lazy("Unit number"), "unit", 12),
        Column(gettext_lazy("Shop name"), "shop_name", 28),
        Column(gettext_lazy("Floor"), "floor", 8),
        Column(gettext_lazy("Business type"), "business_type", 16),
        Column(gettext_lazy("Lease start"), "lease_start", 12),
        Column(gettext_lazy("Lease end"), "lease_end", 12),
        Column(gettext_lazy("Lease ending soon"), lambda t: _("yes") if getattr(t, "lease_ending", False) else "", 10),
        Column(gettext_lazy("Main contact"), _contact("name"), 14),
        Column(gettext_lazy("Phone"), _contact("phone"), 16),
        Column(gettext_lazy("Moved out"), "moved_out_at", 18),
    ]

    def objects(self, queryset):
        return with_contacts(queryset).iterator(chunk_size=self.chunk_size)


class StorageExport(Export):
    """Laid out like the paper form 临时物品寄存记录表."""

    name = "storage-log"
    columns = [
        Column(gettext_lazy("Item"), "item", 28),
        Column(gettext_lazy("Owner tenant"), "tenant.shop_name", 24),
        Column(gettext_lazy("Unit number"), "tenant.unit", 12),
        Column(gettext_lazy("Received by"), lambda s: s.received_by.display_name if s.received_by else "", 14),
        Column(gettext_lazy("Received at"), "received_at", 18),
        Column(gettext_lazy("Kept at"), "location", 16),
        Column(gettext_lazy("Picked up by"), "picked_up_by", 14),
        Column(gettext_lazy("Picked up at"), "picked_up_at", 18),
    ]

    def objects(self, queryset):
        return queryset.select_related("tenant", "received_by").iterator(chunk_size=self.chunk_size)


class RecordingArchiveExport(Export):
    name = "recording-archive"
    columns = [
        Column(gettext_lazy("Request"), "request.reference", 18),
        Column(gettext_lazy("Tenant"), lambda r: str(r.request.tenant), 26),
        Column(gettext_lazy("File name"), "original_name", 24),
        Column(gettext_lazy("Uploaded at"), "uploaded_at", 18),
        Column(gettext_lazy("Reason for keeping it"), "archive_reason", 40),
        Column(gettext_lazy("Moved by"), lambda r: r.archived_by.display_name if r.archived_by else "", 14),
        Column(gettext_lazy("Moved to the archive at"), "archived_at", 18),
    ]

    def objects(self, queryset):
        return queryset.select_related("request__tenant", "archived_by").iterator(chunk_size=self.chunk_size)
