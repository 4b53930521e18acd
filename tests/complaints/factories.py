"""Complaint rows built directly (fast, for lists and reports); flows go through the services."""

from datetime import timedelta

import factory
from django.utils import timezone

from complaints.models import Complaint


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    reference = factory.Sequence(lambda n: f"TS-2026-9{n:05d}")
    channel = "hotline"
    status = "received"
    customer = None
    complainant_name = "张先生"
    complainant_contact = "13800000000"
    text = "产品有质量问题"
    category = "quality"
    severity = "normal"
    received_at = factory.LazyFunction(timezone.now)
    response_due_at = factory.LazyAttribute(lambda o: o.received_at + timedelta(days=3))
    solution_due_at = factory.LazyAttribute(lambda o: o.received_at + timedelta(days=7))


CLOSING = {"satisfaction": 4, "root_cause": "来料检验漏检", "preventive_action": "来料增加通电抽检"}
ORDER = ["received", "assigned", "investigating", "solution_proposed", "customer_informed", "closed"]


def walk(complaint: Complaint, to: str, *, service, handler, department) -> Complaint:
    """Move a complaint through the flow's services up to status `to`."""
    from complaints.services.flow import (
        complaint_assign,
        complaint_close,
        complaint_inform,
        complaint_investigate,
        complaint_propose,
    )

    steps = {
        "assigned": lambda c: complaint_assign(actor=service, complaint=c, department=department),
        "investigating": lambda c: complaint_investigate(actor=handler, complaint=c),
        "solution_proposed": lambda c: complaint_propose(actor=handler, complaint=c, solution="免费更换"),
        "customer_informed": lambda c: complaint_inform(actor=service, complaint=c),
        "closed": lambda c: complaint_close(actor=service, complaint=c, **CLOSING),
    }
    for status in ORDER[ORDER.index(complaint.status) + 1 : ORDER.index(to) + 1]:
        complaint = steps[status](complaint)
    return complaint
