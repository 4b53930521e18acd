"""Excel exports of the fire-safety inspections and the rectification letters 整改函 (TEN-07,
DSH-03): exactly the rows of the screen (ORG-02)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.core.exports import Column, Export


def _who(user) -> str:
    return user.display_name if user else ""


class InspectionExport(Export):
    name = "fire-inspections"
    columns = [
        Column(gettext_lazy("Month"), lambda i: f"{i.month:%Y-%m}", 10),
        Column(gettext_lazy("Notice issued at"), "notice_issued_at", 18),
        Column(gettext_lazy("Tenants noticed"), "notice_count", 10),
        Column(gettext_lazy("Units checked"), "checked_count", 10),
        Column(gettext_lazy("Failed"), "failed_count", 10),
        Column(gettext_lazy("Open rectification letters"), "open_count", 12),
    ]

    def objects(self, queryset):
        return queryset.iterator(chunk_size=self.chunk_size)


class RectificationExport(Export):
    name = "rectification-letters"
    columns = [
        Column(gettext_lazy("Inspection month"), lambda r: f"{r.result.inspection.month:%Y-%m}", 10),
        Column(gettext_lazy("Unit number"), "result.unit", 12),
        Column(gettext_lazy("Floor"), "tenant.floor", 8),
        Column(gettext_lazy("Shop name"), "tenant.shop_name", 24),
        Column(gettext_lazy("Inspection findings"), "findings", 48),
        Column(gettext_lazy("Rectify by"), "due_on", 12),
        Column(gettext_lazy("Status"), lambda r: r.get_status_display(), 10),
        Column(gettext_lazy("Overdue"), lambda r: _("yes") if getattr(r, "is_overdue", False) else "", 8),
        Column(gettext_lazy("Inspector"), lambda r: _who(r.result.inspector), 14),
        Column(gettext_lazy("Re-inspected by"), lambda r: _who(r.rectified_by), 14),
        Column(gettext_lazy("Rectified at"), "rectified_at", 18),
        Column(gettext_lazy("Escalated at"), "escalated_at", 18),
    ]

    def objects(self, queryset):
        return queryset.select_related("tenant", "result__inspection", "result__inspector", "rectified_by").iterator(
            chunk_size=self.chunk_size
        )
