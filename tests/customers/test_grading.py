import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.models import Notification
from customers.models import ChangeStatus, CoreDataChange, Customer, CustomerSettings, GradeChange
from customers.services import grading
from customers.services.grading import customer_set_grade, grade_bulk_apply, grade_proposals
from tests.customers.factories import CustomerFactory, ProductFactory, PurchaseFactory
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 15)


def _buy(customer, month, amount, collected=None, returned="0.00", product=None):
    return PurchaseFactory(
        customer=customer,
        product=product or ProductFactory(),
        month=month,
        amount=Decimal(amount),
        returned_amount=Decimal(returned),
        collected_amount=Decimal(collected if collected is not None else amount),
    )


def _months_ago(n: int) -> datetime.date:
    first = timezone.localdate().replace(day=1)
    year, month = divmod(first.year * 12 + first.month - 1 - n, 12)
    return datetime.date(year, month + 1, 1)


def test_it_proposes_from_purchases_collections_age_and_complaints(rep):
    """CUS-03: 12 full months of net sales, collection rate, relationship age, complaints."""
    big = CustomerFactory(owner=rep, first_deal_date=datetime.date(2016, 3, 1))
    _buy(big, datetime.date(2026, 10, 1), "1200000.00")
    _buy(big, datetime.date(2026, 11, 1), "5000000.00", collected="0")  # this month: not in the window
    _buy(big, datetime.date(2025, 10, 1), "5000000.00", collected="0")  # 13 months ago: not in the window
    middle = CustomerFactory(owner=rep)  # no first deal: age 0
    _buy(middle, datetime.date(2025, 11, 1), "600000.00", collected="250000.00", returned="100000.00")
    nothing = CustomerFactory(owner=rep)
    overpaid = CustomerFactory(owner=rep)
    _buy(overpaid, datetime.date(2026, 1, 1), "1000.00", collected="3000.00")

    proposals = grade_proposals(customers=Customer.objects.all(), today=TODAY)

    assert proposals[big.pk].net_sales == Decimal("1200000.00")
    assert proposals[big.pk].collection_rate == Decimal("1")
    assert proposals[big.pk].years > 10
    assert (proposals[big.pk].score, proposals[big.pk].grade) == (Decimal("100.0"), "A")
    # 40×0.5 (net 500k of 1m) + 25×0.5 (250k of 500k collected) + 20×0 + 15×1 = 47.5
    assert proposals[middle.pk].net_sales == Decimal("500000.00")
    assert proposals[middle.pk].collection_rate == Decimal("0.5")
    assert (proposals[middle.pk].score, proposals[middle.pk].grade) == (Decimal("47.5"), "C")
    # no sales: collection rate 0, only the "no complaints" part counts
    assert (proposals[nothing.pk].collection_rate, proposals[nothing.pk].score) == (Decimal("0"), Decimal("15.0"))
    assert proposals[nothing.pk].grade == "D"
    assert proposals[overpaid.pk].collection_rate == Decimal("1")  # capped


def test_weights_and_thresholds_come_from_the_settings(rep):
    """CUS-03: weights and thresholds are settings."""
    customer = CustomerFactory(owner=rep)
    _buy(customer, datetime.date(2026, 6, 1), "300000.00", collected="0")
    assert grade_proposals(customers=[customer], today=TODAY)[customer.pk].grade == "D"  # 12 + 0 + 0 + 15 = 27
    row = CustomerSettings.load()
    row.weight_amount, row.weight_collection, row.weight_age, row.weight_complaints = 1, 0, 0, 0
    row.amount_for_full_score = Decimal("400000.00")
    row.threshold_a, row.threshold_b, row.threshold_c = 90, 70, 50
    row.save()
    proposal = grade_proposals(customers=[customer], today=TODAY)[customer.pk]
    assert (proposal.score, proposal.grade) == (Decimal("75.0"), "B")
    row.threshold_b = 80
    row.save()
    assert grade_proposals(customers=[customer], today=TODAY)[customer.pk].grade == "C"


def test_complaints_from_the_provider_hook_lower_the_score(rep, monkeypatch):
    """CUS-03: the complaint count comes from the complaints app through the hook."""
    customer = CustomerFactory(owner=rep)
    assert grading.complaint_counts([customer.pk], TODAY) == {customer.pk: 0}
    monkeypatch.setattr(grading, "COMPLAINT_COUNT_PROVIDERS", [lambda ids, since: dict.fromkeys(ids, 5)])
    proposal = grade_proposals(customers=[customer], today=TODAY)[customer.pk]
    assert (proposal.complaints, proposal.score) == (5, Decimal("0.0"))


def test_proposals_for_many_customers_cost_a_fixed_number_of_queries(rep):
    def add(count):
        for _ in range(count):
            _buy(CustomerFactory(owner=rep), datetime.date(2026, 5, 1), "1000.00")

    CustomerSettings.load()  # the first load creates the settings row
    add(5)
    with CaptureQueriesContext(connection) as five:
        assert len(grade_proposals(customers=Customer.objects.all(), today=TODAY)) == 5
    add(45)
    with CaptureQueriesContext(connection) as fifty:
        assert len(grade_proposals(customers=Customer.objects.all(), today=TODAY)) == 50
    assert len(five) == len(fifty)


def test_setting_the_grade_needs_a_reason(client_for, rep, manager):
    """CUS-03: a person sets the grade, with a reason."""
    customer = CustomerFactory(owner=rep, grade="C")
    with pytest.raises(DomainError):
        customer_set_grade(actor=manager, customer=customer, grade="A", reason="  ")
    response = client_for(manager).post(f"/customers/{customer.pk}/grade/", {"grade": "A", "reason": ""}, follow=True)
    assert list(response.context["messages"])  # told what is missing
    customer.refresh_from_db()
    assert customer.grade == "C"
    assert not GradeChange.objects.exists()
    with pytest.raises(DomainError):
        customer_set_grade(actor=manager, customer=customer, grade="Z", reason="typo")


def test_a_manager_sets_the_grade_and_the_history_keeps_who_when_why(
    client_for, rep, manager, django_capture_on_commit_callbacks
):
    """CUS-03: every grade change is kept with who/when/from/to/why, and the proposal."""
    customer = CustomerFactory(owner=rep, grade="C")
    client = client_for(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/customers/{customer.pk}/grade/", {"grade": "B", "reason": "大客户续约"})
        assert response.status_code == 302
        client.post(f"/customers/{customer.pk}/grade/", {"grade": "A", "reason": "年度采购翻倍"})
    customer.refresh_from_db()
    assert customer.grade == "A"
    first, second = GradeChange.objects.order_by("pk")
    assert (first.from_grade, first.to_grade, first.reason, first.changed_by) == ("C", "B", "大客户续约", manager)
    assert (second.from_grade, second.to_grade) == ("B", "A")
    assert second.proposed_grade == "D" and second.score == Decimal("15.0")
    html = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "大客户续约" in html and "年度采购翻倍" in html
    assert Notification.objects.filter(recipient=rep, kind="customer-grade").count() == 2


def test_a_reps_grade_change_waits_for_the_manager(client_for, rep, manager, django_capture_on_commit_callbacks):
    """CUS-06, CUS-03: a rep's grade change is a pending core-data change until confirmed."""
    customer = CustomerFactory(owner=rep, grade="C")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(rep).post(f"/customers/{customer.pk}/grade/", {"grade": "A", "reason": "战略客户"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.grade == "C"
    change = CoreDataChange.objects.get(customer=customer)
    assert (change.status, change.new_values, change.old_values) == ("pending", {"grade": "A"}, {"grade": "C"})
    assert Notification.objects.filter(recipient=manager, kind="customer-change").exists()
    page = client_for(rep).get(f"/customers/{customer.pk}/")
    assert "pending-core-change" in page.content.decode()
    assert page.context["pending_core_reviewers"] == [manager]  # who must confirm is shown

    client_for(manager).post(f"/customers/core-changes/{change.pk}/confirm/")
    customer.refresh_from_db()
    change.refresh_from_db()
    assert customer.grade == "A"
    assert change.status == ChangeStatus.APPROVED and change.decided_by == manager
    grade_change = GradeChange.objects.get(customer=customer)
    assert (grade_change.changed_by, grade_change.reason, grade_change.proposed_grade) == (rep, "战略客户", "D")


def test_management_may_not_set_a_grade(gm, rep):
    """ORG-02: management is read-only."""
    customer = CustomerFactory(owner=rep)
    with pytest.raises(PermissionDenied):
        customer_set_grade(actor=gm, customer=customer, grade="A", reason="x")


def test_the_regrade_page_lists_differing_customers_and_applies_the_reviewed_rows(client_for, rep, other_rep, manager):
    """CUS-03: the manager reviews the proposals, unticks some, and applies the rest."""
    first_deal = timezone.localdate() - datetime.timedelta(days=3660)  # ten years ago, 29 February included
    to_a = CustomerFactory(owner=rep, grade="C", name="升级客户", first_deal_date=first_deal)
    _buy(to_a, _months_ago(2), "2000000.00")
    to_d = CustomerFactory(owner=other_rep, grade="B", name="降级客户")
    kept = CustomerFactory(owner=rep, grade="B", name="保留客户")
    already = CustomerFactory(owner=rep, grade="D", name="已是D")
    CustomerFactory(owner=rep, grade="A", name="归档客户", archived_at=timezone.now())
    outside = CustomerFactory(owner=UserFactory(department=DepartmentFactory(code="sales2")), grade="A")

    client = client_for(manager)
    response = client.get("/customers/regrade/")
    rows = {customer.pk: proposal for customer, proposal in response.context["rows"]}
    assert set(rows) == {to_a.pk, to_d.pk, kept.pk}
    assert rows[to_a.pk].grade == "A" and rows[to_d.pk].grade == "D"
    assert already.pk not in rows and outside.pk not in rows
    assert client.get("/customers/regrade/", {"owner": other_rep.pk}).context["paginator"].count == 1
    assert client.get("/customers/regrade/", {"grade": ["C"]}).context["paginator"].count == 1

    response = client.post(
        "/customers/regrade/",
        {"customer": [to_a.pk, to_d.pk], f"grade_{to_a.pk}": "A", f"grade_{to_d.pk}": "D",
         f"grade_{kept.pk}": "D", "reason": "年度评级"},
        follow=True,
    )  # fmt: skip
    assert "2 customers re-graded." in [str(m) for m in response.context["messages"]]
    grades = dict(Customer.objects.values_list("pk", "grade"))
    assert (grades[to_a.pk], grades[to_d.pk], grades[kept.pk]) == ("A", "D", "B")
    changes = GradeChange.objects.filter(changed_by=manager)
    assert changes.count() == 2
    assert set(changes.values_list("reason", flat=True)) == {"年度评级"}
    assert {c.proposed_grade for c in changes} == {"A", "D"}


def test_bulk_regrade_is_all_or_nothing_over_visible_customers(rep, manager):
    """ORG-02, CUS-03: a customer the manager cannot see makes the whole re-grade fail."""
    mine = CustomerFactory(owner=rep, grade="C")
    other_department = CustomerFactory(owner=UserFactory(department=DepartmentFactory(code="sales2")), grade="C")
    with pytest.raises(DomainError):
        grade_bulk_apply(actor=manager, decisions=[(mine.pk, "A", "r"), (other_department.pk, "A", "r")])
    with pytest.raises(DomainError):
        grade_bulk_apply(actor=manager, decisions=[(mine.pk, "A", "")])
    with pytest.raises(PermissionDenied):
        grade_bulk_apply(actor=rep, decisions=[(mine.pk, "A", "r")])
    assert set(Customer.objects.values_list("grade", flat=True)) == {"C"}
    assert not GradeChange.objects.exists()


def test_outsiders_cannot_grade(client_for, rep, other_rep, outsider, gm):
    """ORG-02: another rep gets a 404 on the customer's grade; only managers re-grade in bulk."""
    customer = CustomerFactory(owner=rep, grade="C")
    assert (
        client_for(other_rep).post(f"/customers/{customer.pk}/grade/", {"grade": "A", "reason": "x"}).status_code == 404
    )
    assert (
        client_for(outsider).post(f"/customers/{customer.pk}/grade/", {"grade": "A", "reason": "x"}).status_code == 404
    )
    for user in (other_rep, outsider, gm):
        assert client_for(user).get("/customers/regrade/").status_code == 403
        assert client_for(user).post("/customers/regrade/", {"customer": [customer.pk], f"grade_{customer.pk}": "A",
                                                             "reason": "x"}).status_code == 403  # fmt: skip
    customer.refresh_from_db()
    assert customer.grade == "C"
    assert "regrade-link" not in client_for(rep).get("/customers/").content.decode()


def test_the_regrade_page_runs_a_constant_number_of_queries(client_for, rep, manager):
    def add(count):
        for _ in range(count):
            customer = CustomerFactory(owner=rep, grade="A")
            _buy(customer, _months_ago(3), "1000.00")

    client = client_for(manager)
    CustomerSettings.load()
    add(5)
    with CaptureQueriesContext(connection) as five:
        assert len(client.get("/customers/regrade/").context["rows"]) == 5
    add(45)
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get("/customers/regrade/").context["rows"]) == 25
    assert len(five) == len(fifty)
