"""The customer timeline (CUS-08): interactions, visits, purchases, grade changes and data
changes merged newest first, extensible by later apps, at a fixed number of queries."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers import timeline as timeline_module
from customers.models import GradeChange
from customers.page_sections import timeline as timeline_section
from customers.timeline import TimelineEntry, customer_timeline
from tests.customers.factories import CustomerFactory, InteractionFactory, ProductFactory, PurchaseFactory, VisitFactory


def _ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def customer(rep):
    customer = CustomerFactory(owner=rep, name="旧名称有限公司")
    customer.history.update(history_date=_ago(400))  # created long ago
    return customer


def test_it_merges_every_kind_newest_first(rep, customer):
    """CUS-08: interactions, completed visits, purchases, grade changes and data changes."""
    InteractionFactory(customer=customer, occurred_at=_ago(3), summary="电话沟通")
    VisitFactory(
        customer=customer, status="completed", completed_at=_ago(2), purpose="回访", findings="客户满意",
        planned_date=timezone.localdate() - timedelta(days=2),
    )  # fmt: skip
    VisitFactory(customer=customer, planned_date=timezone.localdate() + timedelta(days=5))  # planned: not shown
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    PurchaseFactory(customer=customer, product=ProductFactory(code="P1"), month=month, amount=Decimal("100.00"))
    PurchaseFactory(customer=customer, product=ProductFactory(code="P2"), month=month, amount=Decimal("250.50"))
    change = GradeChange.objects.create(
        customer=customer, from_grade="C", to_grade="B", reason="采购增长", changed_by=rep
    )
    GradeChange.objects.filter(pk=change.pk).update(changed_at=_ago(1))
    customer.name = "新名称有限公司"
    customer.save()

    entries = customer_timeline(customer)
    assert [entry.kind for entry in entries] == ["change", "grade", "visit", "interaction", "purchase", "change"]
    assert [entry.when for entry in entries] == sorted((entry.when for entry in entries), reverse=True)
    renamed = entries[0]
    assert any("旧名称有限公司 → 新名称有限公司" in value for _label, value in renamed.details)
    assert entries[1].title == "Grade C → B" and entries[1].text == "采购增长"
    assert entries[2].text == "客户满意"
    purchase = entries[4]
    assert purchase.period == f"{month:%Y-%m}" and "350.50" in purchase.text  # one entry, summed
    assert entries[5].title == "Customer created"


def test_the_page_shows_the_timeline(client_for, rep, customer):
    """CUS-08"""
    InteractionFactory(customer=customer, occurred_at=_ago(1), summary="微信确认到货情况")
    html = client_for(rep).get(f"/customers/{customer.pk}/").content.decode()
    assert 'id="customer-timeline"' in html and "微信确认到货情况" in html
    assert 'data-kind="interaction"' in html


def test_the_timeline_keeps_the_newest_entries(customer):
    """CUS-08: the newest 50 entries."""
    for day in range(60):
        InteractionFactory(customer=customer, occurred_at=_ago(day + 1), summary=f"第{day}次")
    entries = customer_timeline(customer)
    assert len(entries) == 50
    assert entries[0].text == "第0次" and entries[-1].text == "第49次"


def test_later_apps_add_providers(customer):
    """CUS-08: complaints and surveys plug in their own entries."""

    def complaints(customer, limit):
        return [TimelineEntry(when=_ago(0), kind="complaint", title="投诉", icon="exclamation-triangle")]

    timeline_module.providers.append(complaints)
    try:
        assert customer_timeline(customer)[0].kind == "complaint"
    finally:
        timeline_module.providers.remove(complaints)


def test_one_query_per_provider_whatever_the_history(rep, customer):
    """CUS-08: a fixed number of queries."""

    def add(start, count):
        for index in range(start, start + count):
            InteractionFactory(customer=customer, occurred_at=_ago(index + 1))
            VisitFactory(customer=customer, status="completed", completed_at=_ago(index + 1), purpose="p", findings="f")
            PurchaseFactory(
                customer=customer, product=ProductFactory(code=f"Q{index}"), month=date(2025, 1 + index % 12, 1)
            )
            GradeChange.objects.create(customer=customer, from_grade="C", to_grade="B", reason="r", changed_by=rep)
            customer.phone = f"1380000{index:04d}"
            customer.save()

    add(0, 2)
    timeline_section.context(customer, rep)  # the user's roles are read once, then cached
    with CaptureQueriesContext(connection) as few:
        timeline_section.context(customer, rep)
    add(2, 30)
    with CaptureQueriesContext(connection) as many:
        timeline_section.context(customer, rep)
    assert len(few) == len(many) == len(timeline_module.providers)
