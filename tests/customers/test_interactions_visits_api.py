"""The interactions and visits API (CUS-08, CUS-09), under the same rules and access as the
pages (ORG-02)."""

from datetime import timedelta

from django.utils import timezone

from customers.models import Interaction, Visit, VisitStatus
from tests.customers.factories import ContactFactory, CustomerFactory, InteractionFactory, VisitFactory

REPORT = {"purpose": "季度回访", "people_met": "王经理", "findings": "满意", "needs": "培训", "next_actions": "寄资料"}


def test_it_lists_and_filters_interactions_by_customer_code(client_for, rep, other_rep):
    """CUS-08, ORG-02: only the caller's own; ?customer=<code>."""
    first = CustomerFactory(owner=rep, code="C1")
    InteractionFactory(customer=first)
    InteractionFactory(customer=CustomerFactory(owner=rep, code="C2"))
    InteractionFactory(customer=CustomerFactory(owner=other_rep, code="C3"))
    client = client_for(rep)
    body = client.get("/api/v1/interactions/").json()
    assert body["count"] == 2
    body = client.get("/api/v1/interactions/", {"customer": "C1"}).json()
    assert [row["customer"] for row in body["results"]] == ["C1"]
    assert set(body["results"][0]) == {
        "id", "customer", "contact", "kind", "occurred_at", "summary", "next_step", "follow_up_date",
    }  # fmt: skip
    assert client.get("/api/v1/interactions/", {"customer": "C3"}).json()["count"] == 0


def test_it_logs_an_interaction_through_the_service(client_for, rep):
    """CUS-08: the same rules as the page."""
    customer = CustomerFactory(owner=rep, code="C1")
    contact = ContactFactory(customer=customer)
    client = client_for(rep)
    payload = {
        "customer": "C1", "contact": contact.pk, "kind": "wechat", "occurred_at": timezone.now().isoformat(),
        "summary": "微信确认到货", "follow_up_date": (timezone.localdate() + timedelta(days=2)).isoformat(),
    }  # fmt: skip
    response = client.post("/api/v1/interactions/", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["contact"] == contact.pk
    assert Interaction.objects.get().created_by == rep
    bad = client.post(
        "/api/v1/interactions/", {**payload, "follow_up_date": "2020-01-01"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "follow_up_date" in bad.json()
    other_contact = ContactFactory(customer=CustomerFactory(owner=rep))
    bad = client.post(
        "/api/v1/interactions/", {**payload, "contact": other_contact.pk}, content_type="application/json"
    )
    assert bad.status_code == 400 and "contact" in bad.json()
    assert Interaction.objects.count() == 1


def test_another_reps_customer_is_unknown_and_their_records_404(client_for, rep, other_rep, outsider, gm):
    """ORG-02: another rep's customer reads as unknown; their interactions and visits are 404.
    Management reads but cannot write (403)."""
    customer = CustomerFactory(owner=rep, code="C1")
    interaction = InteractionFactory(customer=customer)
    visit = VisitFactory(customer=customer)
    for user in (other_rep, outsider):
        client = client_for(user)
        response = client.post(
            "/api/v1/interactions/",
            {"customer": "C1", "kind": "phone", "occurred_at": timezone.now().isoformat(), "summary": "x"},
            content_type="application/json",
        )
        assert response.status_code == 400 and "Unknown customer C1" in str(response.json()["customer"])
        response = client.post(
            "/api/v1/visits/", {"customer": "C1", "planned_date": timezone.localdate().isoformat()},
            content_type="application/json",
        )  # fmt: skip
        assert response.status_code == 400 and "Unknown customer C1" in str(response.json()["customer"])
        assert client.get(f"/api/v1/interactions/{interaction.pk}/").status_code == 404
        assert client.get(f"/api/v1/visits/{visit.pk}/").status_code == 404
        assert client.post(f"/api/v1/visits/{visit.pk}/complete/", REPORT).status_code == 404
        assert client.post(f"/api/v1/visits/{visit.pk}/cancel/", {"reason": "x"}).status_code == 404
        assert client.get("/api/v1/visits/").json()["count"] == 0
    management = client_for(gm)
    assert management.get(f"/api/v1/visits/{visit.pk}/").status_code == 200
    assert management.post(f"/api/v1/visits/{visit.pk}/complete/", REPORT).status_code == 403
    assert Visit.objects.get().status == VisitStatus.PLANNED and Interaction.objects.count() == 1


def test_anonymous_gets_401(client):
    assert client.get("/api/v1/interactions/").status_code == 401
    assert client.get("/api/v1/visits/").status_code == 401


def test_it_plans_lists_and_completes_visits(client_for, rep):
    """CUS-09: POST plans a visit; the complete action needs the report."""
    CustomerFactory(owner=rep, code="C1")
    client = client_for(rep)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        "/api/v1/visits/", {"customer": "C1", "planned_date": tomorrow, "purpose": "介绍新品"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["customer"], body["owner"], body["status"], body["purpose"]) == ("C1", "rep", "planned", "介绍新品")
    visit_id = body["id"]
    past = client.post("/api/v1/visits/", {"customer": "C1", "planned_date": "2020-01-01"})
    assert past.status_code == 400 and "planned_date" in past.json()
    assert client.get("/api/v1/visits/", {"customer": "C1", "status": "planned"}).json()["count"] == 1
    assert client.get("/api/v1/visits/", {"status": "completed"}).json()["count"] == 0

    refused = client.post(f"/api/v1/visits/{visit_id}/complete/", {**REPORT, "findings": ""})
    assert refused.status_code == 400 and "findings" in refused.json()
    assert Visit.objects.get().status == VisitStatus.PLANNED
    done = client.post(f"/api/v1/visits/{visit_id}/complete/", REPORT)
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["findings"]) == ("completed", "满意")
    assert done.json()["completed_at"]
    again = client.post(f"/api/v1/visits/{visit_id}/complete/", REPORT)
    assert again.status_code == 400 and "already completed" in str(again.json())


def test_it_cancels_a_visit_with_a_reason(client_for, rep):
    """CUS-09"""
    visit = VisitFactory(customer=CustomerFactory(owner=rep), planned_date=timezone.localdate())
    client = client_for(rep)
    assert client.post(f"/api/v1/visits/{visit.pk}/cancel/", {"reason": ""}).status_code == 400
    response = client.post(f"/api/v1/visits/{visit.pk}/cancel/", {"reason": "客户停业"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
