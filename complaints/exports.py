from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm_project.core.exports import Column, Export


class ComplaintExport(Export):
    name = "complaints"
    columns = [
        Column(_("Reference"), "reference", 16),
        Column(_("Received"), "received_at", 18),
        Column(_("Channel"), "get_channel_display", 12),
        Column(_("Status"), "get_status_display", 16),
        Column(_("Category"), "get_category_display", 14),
        Column(_("Severity"), "get_severity_display", 10),
        Column(_("Department"), lambda c: c.department.name if c.department_id else "", 16),
        Column(_("Customer code"), lambda c: c.customer.code if c.customer_id else "", 14),
        Column(_("Customer"), lambda c: c.customer.name if c.customer_id else "", 28),
        Column(_("Complainant"), "complainant_name", 14),
        Column(_("Company"), "complainant_company", 24),
        Column(pgettext_lazy("complaint text", "Complaint"), "text", 60),
        Column(_("First response due"), "response_due_at", 18),
        Column(_("First response at"), "responded_at", 18),
        Column(_("Solution due"), "solution_due_at", 18),
        Column(_("Overdue"), lambda c: _("yes") if getattr(c, "is_overdue", False) else "", 8),
        Column(_("Repeat"), lambda c: _("yes") if getattr(c, "is_repeat", False) else "", 8),
        Column(_("Solution"), "solution", 40),
        Column(_("Satisfaction"), "satisfaction", 10),
        Column(_("Root cause"), "root_cause", 30),
        Column(_("Preventive action"), "preventive_action", 30),
        Column(_("Closed"), "closed_at", 18),
        Column(_("Times reopened"), "reopen_count", 10),
    ]
