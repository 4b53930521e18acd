from django.utils.translation import gettext_lazy as _

from crm_project.core.exports import Column, Export


class CustomerExport(Export):
    name = "customers"
    columns = [
        Column(_("Code"), "code", width=12),
        Column(_("Name"), "name", width=36),
        Column(_("Kind"), "get_kind_display", width=12),
        Column(_("Grade"), "grade", width=8),
        Column(_("Status"), "get_status_display", width=12),
        Column(_("Industry"), lambda c: str(c.industry) if c.industry_id else "", width=14),
        Column(_("Size"), "get_size_display", width=12),
        Column(_("Region"), "region", width=14),
        Column(_("Owner"), "owner.display_name", width=12),
        Column(_("Phone"), "phone", width=16),
        Column(_("First deal"), "first_deal_date", width=12),
        Column(_("Created"), "created_at", width=18),
    ]

    def objects(self, queryset):
        return queryset.select_related("industry", "owner").iterator(chunk_size=self.chunk_size)
