import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from crm_project.core.models import ExportLog
from customers.models import ChangeStatus, CoreDataChange, Customer
from tests.customers.factories import ContactFactory, CustomerFactory, IndustryFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_a_rep_lists_only_their_own_customers(client_for, rep, other_rep):
    """ORG-02, CUS-07"""
    CustomerFactory(owner=rep, name="我的客户")
    CustomerFactory(owner=other_rep, name="别人的客户")
    html = client_for(rep).get("/customers/").content.decode()
    assert "我的客户" in html
    assert "别人的客户" not in html


def test_the_manager_sees_the_department_and_management_everything(client_for, rep, other_rep, manager, gm, outsider):
    """ORG-02"""
    CustomerFactory(owner=rep)
    CustomerFactory(owner=other_rep)
    assert client_for(manager).get("/customers/").context["paginator"].count == 2
    assert client_for(gm).get("/customers/").context["paginator"].count == 2
    assert client_for(outsider).get("/customers/").status_code in (200, 403)
    if client_for(outsider).get("/customers/").status_code == 200:
        assert client_for(outsider).get("/customers/").context["paginator"].count == 0


def test_another_reps_customer_is_a_404_on_every_page(client_for, rep, other_rep):
    """ORG-02, CUS-07: rep1 cannot read, edit or archive rep2's customers."""
    theirs = CustomerFactory(owner=other_rep)
    client = client_for(rep)
    assert client.get(f"/customers/{theirs.pk}/").status_code == 404
    assert client.get(f"/customers/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/customers/{theirs.pk}/archive/").status_code == 404


def test_searching_chinese_text_finds_name_contacts_and_phones(client_for, rep):
    """CUS-07 search over name, contact names and phones; 华为 finds 华为技术有限公司."""
    huawei = CustomerFactory(owner=rep, name="华为技术有限公司")
    other = CustomerFactory(owner=rep, name="中兴通讯")
    ContactFactory(customer=other, name="王建国", phone="13912345678")
    from customers.services.search import customer_refresh_search_text

    customer_refresh_search_text(customer_ids=[other.pk])
    client = client_for(rep)
    assert [c.pk for c in client.get("/customers/", {"q": "华为"}).context["object_list"]] == [huawei.pk]
    assert [c.pk for c in client.get("/customers/", {"q": "王建国"}).context["object_list"]] == [other.pk]
    assert [c.pk for c in client.get("/customers/", {"q": "12345678"}).context["object_list"]] == [other.pk]


def test_filters_grade_status_and_overdue_visit(client_for, rep):
    """CUS-02, CUS-09"""
    a = CustomerFactory(owner=rep, grade="A")
    CustomerFactory(owner=rep, grade="D", status="churned")
    VisitFactory(customer=a, planned_date="2020-01-01")
    client = client_for(rep)
    assert client.get("/customers/", {"grade": ["A"]}).context["paginator"].count == 1
    assert client.get("/customers/", {"status": "churned"}).context["paginator"].count == 1
    assert [c.pk for c in client.get("/customers/", {"overdue_visit": "on"}).context["object_list"]] == [a.pk]


def test_a_rep_creates_a_customer_with_an_automatic_code(client_for, rep):
    """CUS-01"""
    industry = IndustryFactory()
    response = client_for(rep).post(
        "/customers/new/",
        {"kind": "organisation", "name": "新客户有限公司", "status": "potential", "industry": industry.pk,
         "region_scope": "domestic"},
    )  # fmt: skip
    assert response.status_code == 302
    customer = Customer.objects.get(name="新客户有限公司")
    assert customer.owner == rep
    assert customer.code.startswith("C")


def test_bad_input_is_refused_with_messages_and_kept(client_for, rep):
    response = client_for(rep).post(
        "/customers/new/", {"kind": "organisation", "name": "", "email": "bad", "budget": "-5", "status": "active"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"name", "email", "industry"} <= set(errors)
    assert not Customer.objects.exists()


def test_a_reps_change_to_core_data_waits_for_the_manager(client_for, rep):
    """CUS-06"""
    customer = CustomerFactory(owner=rep, name="旧名称", legal_representative="甲")
    data = {"kind": "organisation", "name": "新名称", "status": "active", "industry": customer.industry_id,
            "region_scope": "domestic", "legal_representative": "甲", "phone": "020-1"}  # fmt: skip
    response = client_for(rep).post(f"/customers/{customer.pk}/edit/", data)
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.name == "旧名称"
    assert customer.phone == "020-1"
    change = CoreDataChange.objects.get(customer=customer)
    assert change.status == ChangeStatus.PENDING
    assert change.new_values == {"name": "新名称"}


def test_archiving_hides_but_never_deletes(client_for, rep, manager):
    """CUS-01: no hard delete of a customer with history."""
    customer = CustomerFactory(owner=rep)
    assert client_for(rep).post(f"/customers/{customer.pk}/archive/").status_code == 302
    customer.refresh_from_db()
    assert customer.archived_at is None  # a rep may not archive
    client_for(manager).post(f"/customers/{customer.pk}/archive/")
    customer.refresh_from_db()
    assert customer.archived_at is not None
    client = client_for(rep)
    assert client.get("/customers/").context["paginator"].count == 0
    assert client.get("/customers/", {"archived": "on"}).context["paginator"].count == 1


def test_export_is_scoped_filtered_and_logged(client_for, rep, other_rep):
    """CUS-07, DSH-03: rep1 cannot export rep2's customers; exports are logged."""
    CustomerFactory(owner=rep, grade="A")
    CustomerFactory(owner=rep, grade="B")
    CustomerFactory(owner=other_rep, grade="A")
    response = client_for(rep).get("/customers/", {"grade": ["A"], "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert len(rows) == 2
    log = ExportLog.objects.get()
    assert (log.user, log.name, log.row_count, log.query) == (rep, "customers", 1, "grade=A")


def _add_customers(owner, count):
    for _ in range(count):
        customer = CustomerFactory(owner=owner)
        ContactFactory(customer=customer)
        VisitFactory(customer=customer, planned_date="2020-01-01")


def test_the_list_runs_a_constant_number_of_queries(client_for, rep):
    """5 customers and 50 customers cost the same number of queries."""
    client = client_for(rep)
    _add_customers(rep, 5)
    with CaptureQueriesContext(connection) as five:
        client.get("/customers/")
    _add_customers(rep, 45)
    with CaptureQueriesContext(connection) as fifty:
        client.get("/customers/")
    assert len(five) == len(fifty)


def test_the_customer_page_runs_a_constant_number_of_queries(client_for, rep):
    customer = CustomerFactory(owner=rep)
    client = client_for(rep)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/customers/{customer.pk}/")
    for _ in range(50):
        ContactFactory(customer=customer)
        VisitFactory(customer=customer)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/customers/{customer.pk}/")
    assert len(few) == len(many)
