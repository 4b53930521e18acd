from django.utils.translation import gettext_lazy as _

from crm_project.core.exports import Column, Export


class InteractionExport(Export):
    """The interactions list as shown (already scoped and filtered, CUS-07)."""

    name = "interactions"
    columns = [
        Column(_("When"), "occurred_at", width=18),
        Column(_("Customer code"), "customer.code", width=12),
        Column(_("Customer"), "customer.name", width=32),
        Column(_("Channel"), "get_kind_display", width=10),
        Column(_("Contact"), lambda i: i.contact.name if i.contact_id else "", width=14),
        Column(_("Summary"), "summary", width=48),
        Column(_("Next step"), "next_step", width=30),
        Column(_("Follow up on"), "follow_up_date", width=12),
        Column(_("Logged by"), "created_by.display_name", width=12),
        Column(_("Customer owner"), "customer.owner.display_name", width=12),
    ]

    def objects(self, queryset):
        return queryset.select_related("customer__owner", "contact", "created_by").iterator(chunk_size=self.chunk_size)
