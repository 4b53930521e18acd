"""Complaints on the customer's page (CUS-08) and in the grade proposal (CUS-03): a timeline
provider and a complaint counter, plugged into the customers app's hook lists. Imported from
ComplaintsConfig.ready()."""

from datetime import date, datetime, time

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from crm_project.workdays.calendar import local_zone
from customers.services.grading import COMPLAINT_COUNT_PROVIDERS
from customers.timeline import TimelineEntry, providers

from .models import Complaint, ComplaintStatus


def complaint_entries(customer, limit: int) -> list[TimelineEntry]:
    """The customer's newest complaints, in one query."""
    rows = (
        Complaint.objects.filter(customer=customer)
        .select_related("received_by", "department")
        .order_by("-received_at", "-pk")[:limit]
    )
    entries = []
    for row in rows:
        details = [(_("Status"), row.get_status_display()), (_("Severity"), row.get_severity_display())]
        if row.category:
            details.append((_("Category"), row.get_category_display()))
        if row.department_id:
            details.append((_("Department"), row.department.name))
        if row.status == ComplaintStatus.CLOSED and row.satisfaction:
            details.append((_("Satisfaction"), f"{row.satisfaction}/5"))
        entries.append(
            TimelineEntry(
                when=row.received_at,
                kind="complaint",
                title=_("Complaint %(reference)s") % {"reference": row.reference},
                icon="exclamation-triangle",
                who=row.received_by.display_name if row.received_by_id else row.complainant_name,
                text=row.text,
                details=details,
                url=reverse("complaints:complaint_detail", args=[row.pk]),
                highlight=row.status != ComplaintStatus.CLOSED,
            )
        )
    return entries


def complaint_counts(customer_ids: list[int], since: date) -> dict[int, int]:
    """{customer_id: complaints received since the date} in one query (the grade's
    complaints component, CUS-03)."""
    start = datetime.combine(since, time.min, tzinfo=local_zone())
    rows = (
        Complaint.objects.filter(customer_id__in=customer_ids, received_at__gte=start)
        .values("customer_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["customer_id"]: row["count"] for row in rows}


if complaint_entries not in providers:
    providers.append(complaint_entries)
if complaint_counts not in COMPLAINT_COUNT_PROVIDERS:
    COMPLAINT_COUNT_PROVIDERS.append(complaint_counts)
