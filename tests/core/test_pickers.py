"""Search-as-you-type pickers: the endpoints answer only what the user may pick, a form refuses
an id outside it, and no page lists every customer (ORG-02, CUS-07, DSH-03)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm_project.accounts.roles import Role
from crm_project.core.pickers import LIMIT
from expenses.models import SpecialFeeApplication
from tests.customers.factories import ContactFactory, CustomerFactory, ProductFactory
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def far_rep(db):
    """A rep of another sales department."""
    return UserFactory(username="far_rep", department=DepartmentFactory(code="sales-north"), roles=[Role.SALES_REP])


def _found(client, source, **params):
    response = client.get(f"/pickers/{source}/", params)
    assert response.status_code == 200, response.content
    return [row["text"] for row in response.json()["results"]]


def test_it_offers_a_rep_only_their_own_customers_and_a_manager_the_departments(
    client_for, rep, other_rep, manager, far_rep, outsider
):
    """ORG-02, CUS-07: the customer picker starts from the access registry."""
    CustomerFactory(owner=rep, name="华东精密有限公司", code="C001")
    CustomerFactory(owner=other_rep, name="华南贸易有限公司", code="C002")
    CustomerFactory(owner=far_rep, name="华北机械有限公司", code="C003")
    CustomerFactory(owner=rep, name="华西旧客户", code="C004", archived_at="2026-01-01T00:00+08:00")

    assert _found(client_for(rep), "customers", q="华") == ["华东精密有限公司 (C001)"]
    assert _found(client_for(manager), "customers", q="华") == ["华东精密有限公司 (C001)", "华南贸易有限公司 (C002)"]
    assert _found(client_for(far_rep), "customers", q="有限") == ["华北机械有限公司 (C003)"]
    assert _found(client_for(outsider), "customers", q="华") == []
    assert _found(client_for(manager), "customers", q="c002") == ["华南贸易有限公司 (C002)"]
    assert _found(client_for(manager), "customers", q="华南贸易") == ["华南贸易有限公司 (C002)"]
    assert _found(client_for(manager), "customers", q="华", scope="own") == []


def test_it_answers_at_most_twenty_and_says_there_is_more(client_for, rep):
    """DSH-03"""
    for n in range(LIMIT + 5):
        CustomerFactory(owner=rep, name=f"宁波{n:02d}有限公司")
    data = client_for(rep).get("/pickers/customers/", {"q": "宁"}).json()
    assert len(data["results"]) == LIMIT and data["more"] is True
    assert data["results"][0]["text"].startswith("宁波00")  # ordered by name


def test_the_number_of_queries_does_not_grow_with_the_results(client_for, manager, rep):
    """DSH-03"""
    client = client_for(manager)
    counts = []
    for total in (1, 20):
        for _ in range(total):
            ContactFactory(customer=CustomerFactory(owner=rep, name="温州客户"), name="王经理")
        customer = CustomerFactory(owner=rep)
        ContactFactory(customer=customer)
        client.get("/pickers/customers/", {"q": "温州"})
        with CaptureQueriesContext(connection) as queries:
            for source, params in [
                ("customers", {"q": "温州"}),
                ("contacts", {"customer": customer.pk}),
                ("users", {"scope": "department_reps"}),
                ("products", {}),
            ]:
                assert client.get(f"/pickers/{source}/", params).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_contacts_are_offered_only_beside_a_customer_the_user_sees(client_for, rep, other_rep, outsider):
    """CUS-07: one customer's contacts are never offered with another customer."""
    mine = CustomerFactory(owner=rep)
    theirs = CustomerFactory(owner=other_rep)
    ContactFactory(customer=mine, name="李采购")
    ContactFactory(customer=mine, name="旧联系人", active=False)
    ContactFactory(customer=theirs, name="张财务")
    assert _found(client_for(rep), "contacts", customer=mine.pk) == ["李采购"]
    assert _found(client_for(rep), "contacts", customer=theirs.pk) == []
    assert _found(client_for(rep), "contacts", customer=mine.pk, q="张") == []
    assert _found(client_for(outsider), "contacts", customer=mine.pk) == []


def test_users_and_products(client_for, rep, other_rep, manager, far_rep, finance):
    """ORG-02, EXP-13: the rep pickers follow whose data the user may see."""
    UserFactory(username="leaver", department=rep.department, roles=[Role.SALES_REP], is_active=False)
    assert _found(client_for(manager), "users", scope="department_reps") == ["other_rep", "rep"]
    assert _found(client_for(rep), "users", scope="fee_reps") == ["rep"]
    assert "far_rep" in _found(client_for(finance), "users", scope="fee_reps")
    assert _found(client_for(manager), "users", scope="leaving_reps") == ["other_rep", "rep"]  # inactive: invisible
    assert _found(client_for(manager), "users", scope="staff", role="sales_manager") == ["manager"]
    assert _found(client_for(manager), "users", scope="staff", q="far") == ["far_rep"]

    ProductFactory(code="P1", name="止痛片")
    ProductFactory(code="P2", name="旧产品", active=False)
    assert _found(client_for(rep), "products") == ["止痛片 (P1)"]
    assert _found(client_for(rep), "products", scope="all", q="p") == ["止痛片 (P1)", "旧产品 (P2)"]


@pytest.mark.parametrize(
    "url",
    [
        "/pickers/customers/?scope=everyone",
        "/pickers/customers/?owner=1",
        "/pickers/customers/?q=a&q=b",
        "/pickers/customers/?q=" + "x" * 101,
        "/pickers/contacts/",
        "/pickers/contacts/?customer=abc",
        "/pickers/contacts/?customer=１２",
        "/pickers/contacts/?customer=99999999999999999999",
        "/pickers/users/?role=king",
        "/pickers/users/?scope=all",
    ],
)
def test_bad_parameters_answer_400(client_for, rep, url):
    """DSH-03: bad input is a clear 4xx, never a 500."""
    response = client_for(rep).get(url)
    assert response.status_code == 400
    assert response.json()["error"]


def test_it_needs_a_login_and_a_known_picker(client, client_for, rep):
    """ORG-02"""
    assert client.get("/pickers/customers/?q=a").status_code == 302
    assert client_for(rep).get("/pickers/nothing/").status_code == 404
    assert client_for(rep).post("/pickers/customers/").status_code in (403, 405)


def test_the_form_refuses_a_customer_the_user_cannot_pick_and_writes_nothing(client_for, rep, other_rep):
    """ORG-02, EXP-09: the server checks the chosen id against the same scoped list."""
    theirs = CustomerFactory(owner=other_rep, status="prospect")
    response = client_for(rep).post(
        "/fees/special-fees/new/",
        {"customer": theirs.pk, "planned_contract_date": "2099-11-02", "amount": "500", "purpose": "x"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not SpecialFeeApplication.objects.exists()


def test_an_interaction_refuses_another_customers_contact(client_for, rep):
    """CUS-07, CUS-08"""
    mine, other = CustomerFactory(owner=rep), CustomerFactory(owner=rep)
    foreign = ContactFactory(customer=other)
    response = client_for(rep).post(
        f"/customers/{mine.pk}/interactions/new/",
        {"kind": "phone", "occurred_at": "2026-10-12T10:00", "summary": "x", "contact": foreign.pk},
    )
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not mine.interactions.exists()


def test_a_filter_refuses_a_rep_of_another_department(client_for, manager, rep, far_rep):
    """ORG-02, DSH-03"""
    CustomerFactory(owner=far_rep, name="北方客户")
    page = client_for(manager).get("/customers/", {"owner": far_rep.pk}).content.decode()
    assert "Select a valid choice" in page and "北方客户" not in page


def test_a_page_with_200_customers_does_not_list_them(client_for, rep):
    """DSH-03: the picker renders only the chosen customer and the endpoint's address."""
    customers = [CustomerFactory(owner=rep, name=f"客户{n:03d}号有限公司", status="prospect") for n in range(200)]
    chosen = customers[7]
    html = client_for(rep).get("/fees/special-fees/new/", {"customer": chosen.pk}).content.decode()
    assert 'data-picker="/pickers/customers/?scope=own"' in html
    assert chosen.name in html
    assert sum(customer.name in html for customer in customers) == 1


def test_the_intake_form_does_not_list_every_customer(client_for, rep):
    """CMP-01, DSH-03: customer service may pick any customer, so the list would be all of them."""
    service = UserFactory(username="cs", department=DepartmentFactory(code="cs"), roles=[Role.CUSTOMER_SERVICE])
    for n in range(30):
        CustomerFactory(owner=rep, name=f"投诉客户{n:02d}")
    html = client_for(service).get("/complaints/new/").content.decode()
    assert 'data-picker="/pickers/intake-customers/"' in html and "投诉客户" not in html
    assert 'data-picker-depends="customer=#id_customer"' in html
    assert len(_found(client_for(service), "intake-customers", q="投诉客户")) == 20
