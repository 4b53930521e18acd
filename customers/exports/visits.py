from django.utils.translation import gettext_lazy as _

from crm_project.core.exports import Column, Export


class VisitExport(Export):
    """The visits list as shown, with the visit reports (CUS-09)."""

    name = "visits"
    columns = [
        Column(_("Planned for"), "planned_date", width=12),
        Column(_("Status"), "get_status_display", width=10),
        Column(_("Customer code"), "customer.code", width=12),
        Column(_("Customer"), "customer.name", width=32),
        Column(_("Grade"), "customer.grade", width=7),
        Column(_("Visitor"), "owner.display_name", width=12),
        Column(_("Completed at"), "completed_at", width=18),
        Column(_("Purpose"), "purpose", width=30),
        Column(_("People met"), "people_met", width=24),
        Column(_("Findings"), "findings", width=40),
        Column(_("Needs"), "needs", width=30),
        Column(_("Next actions"), "next_actions", width=30),
        Column(_("Planned by the system"), lambda v: _("yes") if v.generated else _("no"), width=10),
    ]

    def objects(self, queryset):
        return queryset.select_related("customer", "owner").iterator(chunk_size=self.chunk_size)
