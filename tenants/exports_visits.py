"""The visit plan and the bulk notices as Excel (TEN-08, DSH-03): the filtered rows of the screen."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.core.exports import Column, Export


def _status(visit) -> str:
    if visit.done_at:
        return _("done")
    return _("overdue") if visit.planned_on < timezone.localdate() else _("to visit")


class TenantVisitExport(Export):
    name = "tenant-visits"
    columns = [
        Column(gettext_lazy("planned on"), "planned_on", 12),
        Column(gettext_lazy("unit number"), "tenant.unit", 10),
        Column(gettext_lazy("tenant"), "tenant.shop_name", 22),
        Column(gettext_lazy("floor"), "tenant.floor", 8),
        Column(gettext_lazy("visitor"), lambda v: v.visitor.display_name, 14),
        Column(gettext_lazy("status"), _status, 10),
        Column(gettext_lazy("visited at"), "done_at", 18),
        Column(gettext_lazy("outcome"), "get_outcome_display", 18),
        Column(gettext_lazy("visit report"), "report", 50),
    ]


class BulkNoticeExport(Export):
    name = "tenant-bulk-notices"
    columns = [
        Column(gettext_lazy("sent at"), "sent_at", 18),
        Column(gettext_lazy("kind"), "get_kind_display", 14),
        Column(gettext_lazy("title"), "title", 30),
        Column(gettext_lazy("floor"), "floor", 8),
        Column(gettext_lazy("business type"), "business_type", 12),
        Column(gettext_lazy("sent by"), lambda n: n.sent_by.display_name, 14),
        Column(gettext_lazy("tenants"), "audience_count", 8, kind="quantity"),
        Column(gettext_lazy("delivered"), "delivered_count", 8, kind="quantity"),
        Column(gettext_lazy("not delivered"), "failed_count", 8, kind="quantity"),
    ]
