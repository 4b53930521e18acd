"""/api/v1/complaints/ (CMP-01 … CMP-05): the contract's names, every transition, illegal
ones answering 400 with nothing changed, 403 for a role that may not, 404 for what the
user does not see (ORG-02), and a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from complaints.models import Complaint, ComplaintEvent
from complaints.services.intake import complaint_log, complaint_submit_public
from tests.complaints.factories import CLOSING, ComplaintFactory
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.usefixtures("english")

CONTRACT = {
    "id", "reference", "status", "category", "severity", "department", "customer", "response_due_at",
    "solution_due_at",
}  # fmt: skip


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def complaint(service, customer):
    return complaint_log(
        actor=service, channel="hotline", customer=customer, complainant_name="王主管", complainant_contact="139",
        text="传感器外壳开裂", category="quality",
    )  # fmt: skip


def test_the_list_speaks_the_contract(service, complaint, customer):
    """CMP-01: the field names, the department and customer by code, empty for a public complaint."""
    complaint_submit_public(name="周女士", contact="138", company="", text="少发", address=None)
    response = api(service).get("/api/v1/complaints/")
    assert response.status_code == 200
    rows = {row["reference"]: row for row in response.json()["results"]}
    assert set(rows[complaint.reference]) >= CONTRACT
    row = rows[complaint.reference]
    assert (row["status"], row["category"], row["severity"], row["customer"]) == (
        "received",
        "quality",
        "normal",
        customer.code,
    )
    public = next(row for reference, row in rows.items() if reference != complaint.reference)
    assert public["customer"] is None and public["department"] is None


def test_every_transition_through_the_api(service, quality_head, complaint, quality):
    """CMP-02, CMP-03, CMP-05"""
    base = f"/api/v1/complaints/{complaint.pk}"
    steps = [
        (service, "assign", {"department": "quality"}, "assigned"),
        (quality_head, "investigate", {}, "investigating"),
        (quality_head, "propose", {"solution": "免费更换"}, "solution_proposed"),
        (service, "inform", {}, "customer_informed"),
        (service, "close", CLOSING, "closed"),
        (service, "reopen", {"reason": "仍不满意"}, "investigating"),
    ]
    for user, action, body, status in steps:
        response = api(user).post(f"{base}/{action}/", body, format="json")
        assert response.status_code == 200, (action, response.json())
        assert response.json()["status"] == status
    data = api(service).get(f"{base}/").json()
    assert data["department"] == "quality" and data["reopen_count"] == 1
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 7


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("investigate", {}),
        ("propose", {"solution": "x"}),
        ("inform", {}),
        ("close", CLOSING),
        ("reopen", {"reason": "x"}),
    ],
)
def test_a_transition_the_flow_does_not_allow_answers_400_and_changes_nothing(service, complaint, action, body):
    """CMP-03"""
    before = Complaint.objects.filter(pk=complaint.pk).values().get()
    response = api(service).post(f"/api/v1/complaints/{complaint.pk}/{action}/", body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("A complaint that is received cannot be")
    assert Complaint.objects.filter(pk=complaint.pk).values().get() == before
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1


def test_bad_bodies_answer_400(service, complaint):
    """CMP-02, CMP-05"""
    client = api(service)
    response = client.post(f"/api/v1/complaints/{complaint.pk}/assign/", {"department": "nope"}, format="json")
    assert response.status_code == 400 and "Unknown department nope." in response.json()["department"]
    assert client.post(f"/api/v1/complaints/{complaint.pk}/assign/", {}, format="json").status_code == 400
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_closing_without_the_root_cause_is_refused(service, quality_head, quality, complaint):
    """CMP-05"""
    from tests.complaints.factories import walk

    walk(complaint, "customer_informed", service=service, handler=quality_head, department=quality)
    response = api(service).post(
        f"/api/v1/complaints/{complaint.pk}/close/", {"satisfaction": 3, "preventive_action": "x"}, format="json"
    )
    assert response.status_code == 400 and "root_cause" in response.json()
    assert api(service).post(f"/api/v1/complaints/{complaint.pk}/close/", {**CLOSING, "satisfaction": 9},
                             format="json").status_code == 400  # fmt: skip
    complaint.refresh_from_db()
    assert complaint.status == "customer_informed"


def test_management_reads_but_may_not_act(gm, complaint, quality):
    """ORG-02: read-only → 403."""
    client = api(gm)
    assert client.get(f"/api/v1/complaints/{complaint.pk}/").status_code == 200
    response = client.post(f"/api/v1/complaints/{complaint.pk}/assign/", {"department": "quality"}, format="json")
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_outsiders_get_404_and_anonymous_401(other_rep, outsider, complaint, quality):
    """ORG-02: another rep's customer's complaint does not exist for them."""
    for user in (other_rep, outsider):
        client = api(user)
        assert complaint.reference not in str(client.get("/api/v1/complaints/").json())
        assert client.get(f"/api/v1/complaints/{complaint.pk}/").status_code == 404
        for action in ("assign", "investigate", "close", "reopen"):
            assert client.post(f"/api/v1/complaints/{complaint.pk}/{action}/", {}, format="json").status_code == 404
    assert APIClient().get("/api/v1/complaints/").status_code == 401


def test_logging_a_complaint_through_the_api(service, rep, customer, other_customer):
    """CMP-01"""
    body = {"channel": "email", "customer": customer.code, "complainant_name": "王", "text": "送货迟到",
            "severity": "urgent"}  # fmt: skip
    response = api(service).post("/api/v1/complaints/", body, format="json")
    assert response.status_code == 201
    assert response.json()["reference"].startswith("TS-") and response.json()["customer"] == customer.code
    response = api(rep).post("/api/v1/complaints/", {**body, "customer": other_customer.code}, format="json")
    assert response.status_code == 400 and "customer" in response.json()


def test_filters(service, customer, quality):
    """CMP-02"""
    ComplaintFactory(customer=customer, department=quality, status="assigned")
    ComplaintFactory(customer=customer)
    client = api(service)
    assert client.get("/api/v1/complaints/?department=quality").json()["count"] == 1
    assert client.get(f"/api/v1/complaints/?customer={customer.code}&status=received").json()["count"] == 1


def test_the_list_runs_a_constant_number_of_queries(service, rep, quality):
    """DSH-03"""
    customers = [CustomerFactory(owner=rep) for _ in range(3)]

    def make(n):
        for index in range(n):
            ComplaintFactory(customer=customers[index % 3], department=quality if index % 2 else None)

    client = api(service)
    make(5)
    client.get("/api/v1/complaints/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/complaints/")
    make(45)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/complaints/").json()["count"] == 50
    assert len(few) == len(many)
