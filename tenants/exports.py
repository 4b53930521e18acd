"""The request log as Excel, laid out like the paper 诉求(需求)记录表 (TEN-02, DSH-03): the filtered
rows of the screen, one line per request."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.core.exports import Column, Export


def _confirmation(request) -> str:
    if request.satisfied is None:
        return ""
    text = _("satisfied") if request.satisfied else _("not satisfied")
    return f"{text} {request.confirmation_note}".strip()


class RequestLogExport(Export):
    name = "tenant-requests"
    columns = [
        Column(gettext_lazy("reference"), "reference", 16),
        Column(gettext_lazy("logged at"), "logged_at", 18),
        Column(gettext_lazy("channel"), "get_channel_display", 12),
        Column(gettext_lazy("unit number"), "unit", 10),
        Column(gettext_lazy("tenant"), "tenant.shop_name", 20),
        Column(gettext_lazy("category"), "get_category_display", 10),
        Column(gettext_lazy("description"), "description", 40),
        Column(gettext_lazy("department assigned"), lambda r: r.department.name if r.department_id else "", 14),
        Column(gettext_lazy("responded at"), "responded_at", 18),
        Column(gettext_lazy("resolved at"), "resolved_at", 18),
        Column(gettext_lazy("resolution"), "resolution", 36),
        Column(gettext_lazy("tenant's confirmation"), _confirmation, 20),
        Column(gettext_lazy("status"), "get_status_display", 12),
        Column(gettext_lazy("breached"), lambda r: _("yes") if r.is_breached else "", 8),
    ]
