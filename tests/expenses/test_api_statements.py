"""/api/v1/statements/: the contract integrations rely on (issue 4 §12)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from expenses.models import ReviewEvent, Signature, Statement, StatementStatus
from expenses.services.review import statement_sign
from expenses.services.statements import statement_create, statement_submit
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase

pytestmark = pytest.mark.django_db

URL = "/api/v1/statements/"


@pytest.fixture
def october(time_machine):
    time_machine.move_to("2026-10-09 10:00 +0800")


@pytest.fixture
def module(db):
    product = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(product)
    return product


@pytest.fixture
def customer(rep, module):
    customer = fee_customer(rep, code="C-API-1")
    purchase(customer, module, quantity="12", amount="1000.00", collected="600.00")
    return customer


def _submitted(rep):
    return statement_submit(actor=rep, statement=statement_create(actor=rep, month=SEPTEMBER))


def test_it_creates_the_month_statement_prefilled(october, rep, customer, client_for):
    """EXP-02, EXP-04, EXP-05, EXP-06: POST {"month"} creates the rep's statement, pre-filled."""
    response = client_for(rep).post(URL, {"month": "2026-09"}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert {"id", "month", "rep", "status", "late", "due_at", "review_due_at", "lines", "total", "signatures",
            "valid"} <= set(body)  # fmt: skip
    assert body["month"] == "2026-09"
    assert body["rep"] == "rep"
    assert body["status"] == "draft"
    assert body["late"] is False
    assert body["valid"] is False
    assert body["signatures"] == []
    assert body["due_at"] == "2026-10-10T18:00:00+08:00"
    assert body["review_due_at"] == "2026-10-16T18:00:00+08:00"
    (line,) = body["lines"]
    assert line["customer"] == "C-API-1"
    assert line["product"] == "P-MOD-IMP"
    assert (line["net_quantity"], line["net_sales"], line["collected"]) == ("12.00", "1000.00", "600.00")
    assert (line["fee"], line["payable"]) == ("108.00", "64.80")
    contacts = {contact.pk: contact for contact in customer.contacts.all()}
    assert sorted(a["amount"] for a in line["allocations"]) == ["12.96", "19.44", "32.40"]
    assert {a["contact"] for a in line["allocations"]} == set(contacts)
    assert body["total"] == "64.80"
    assert Statement.objects.get(pk=body["id"]).rep == rep


def test_bad_months_are_answered_with_field_errors_and_nothing_is_created(october, rep, customer, client_for):
    """EXP-06: a month is YYYY-MM, for a month that has ended, once."""
    client = client_for(rep)
    for bad in ("2026-13", "September", "", "2026-9-1"):
        response = client.post(URL, {"month": bad}, content_type="application/json")
        assert response.status_code == 400, bad
        assert "month" in response.json()
    response = client.post(URL, {"month": "2026-10"}, content_type="application/json")
    assert response.status_code == 400
    assert "ended" in response.json()["month"][0]
    assert not Statement.objects.exists()
    assert client.post(URL, {"month": "2026-09"}, content_type="application/json").status_code == 201
    again = client.post(URL, {"month": "2026-09"}, content_type="application/json")
    assert again.status_code == 400
    assert "already" in again.json()["month"][0]
    assert Statement.objects.count() == 1


def test_only_reps_file_statements_403(october, clerk, client_for):
    """EXP-06: a role that never files statements gets 403 with the reason."""
    response = client_for(clerk).post(URL, {"month": "2026-09"}, content_type="application/json")
    assert response.status_code == 403
    assert "sales representatives" in response.json()["detail"]


def test_another_rep_gets_404_on_every_statement_endpoint(october, rep, other_rep, customer, client_for):
    """EXP-13, ORG-02: rep1 cannot read or act on rep2's statement through the API."""
    statement = _submitted(rep)
    client = client_for(other_rep)
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{statement.pk}/").status_code == 404
    for action in ("submit", "sign", "return", "recalculate"):
        response = client.post(f"{URL}{statement.pk}/{action}/", {"comment": "x"}, content_type="application/json")
        assert response.status_code == 404, action
    assert client.patch(f"{URL}{statement.pk}/", {"notes": "x"}, content_type="application/json").status_code == 404
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SUBMITTED


def test_management_and_outsiders_see_no_fee_data(october, rep, gm, outsider, customer, client_for):
    """EXP-13: not even management sees the fee data."""
    statement = _submitted(rep)
    for user in (gm, outsider):
        client = client_for(user)
        assert client.get(URL).json()["results"] == []
        assert client.get(f"{URL}{statement.pk}/").status_code == 404


def test_anonymous_gets_401(client):
    assert client.get(URL).status_code == 401


def test_the_three_signatures_through_the_api(october, rep, clerk, manager, finance, customer, client_for):
    """EXP-06, EXP-07, EXP-08: submit, then clerk, manager and finance sign; valid and locked."""
    created = client_for(rep).post(URL, {"month": "2026-09"}, content_type="application/json").json()
    detail = f"{URL}{created['id']}/"
    submitted = client_for(rep).post(f"{detail}submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    for signer, role in ((clerk, "clerk"), (manager, "manager"), (finance, "finance")):
        response = client_for(signer).post(f"{detail}sign/")
        assert response.status_code == 200, response.content
        assert response.json()["signatures"][-1]["role"] == role
        assert response.json()["signatures"][-1]["user"] == signer.username
        assert response.json()["signatures"][-1]["signed_at"].endswith("+08:00")
    body = client_for(finance).get(detail).json()
    assert body["valid"] is True
    assert body["status"] == "valid"
    assert [s["role"] for s in body["signatures"]] == ["clerk", "manager", "finance"]
    locked = client_for(rep).patch(detail, {"notes": "late change"}, content_type="application/json")
    assert locked.status_code == 400


def test_a_signer_cannot_sign_out_of_order(october, rep, manager, finance, customer, client_for):
    """EXP-07: the manager and finance wait for the clerk — 400 with why, nothing changes."""
    statement = _submitted(rep)
    for signer in (manager, finance):
        response = client_for(signer).post(f"{URL}{statement.pk}/sign/")
        assert response.status_code == 400
        assert "clerk" in response.json()["detail"]
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SUBMITTED
    assert not Signature.objects.exists()


def test_the_rep_cannot_sign_their_own_and_reps_cannot_sign(october, rep, customer, client_for):
    """EXP-07: nobody signs their own statement (403: a rep never signs)."""
    statement = _submitted(rep)
    response = client_for(rep).post(f"{URL}{statement.pk}/sign/")
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_return_needs_a_comment_and_clears_the_round(october, rep, clerk, manager, customer, client_for):
    """EXP-07: a return goes back to the rep with a comment; signatures start again."""
    statement = _submitted(rep)
    statement_sign(actor=clerk, statement=statement)
    client = client_for(manager)
    response = client.post(f"{URL}{statement.pk}/return/", {"comment": "  "}, content_type="application/json")
    assert response.status_code == 400
    assert "comment" in response.json()
    statement.refresh_from_db()
    assert statement.status == StatementStatus.CLERK_SIGNED
    response = client.post(
        f"{URL}{statement.pk}/return/", {"comment": "Customer C-API-1 collections look wrong"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "returned"
    assert body["signatures"] == []
    assert ReviewEvent.objects.filter(statement=statement, action="return").get().comment.startswith("Customer")
    # A returned statement is not signed again until resubmitted.
    again = client_for(clerk).post(f"{URL}{statement.pk}/sign/")
    assert again.status_code == 400
    assert "not submitted" in again.json()["detail"]


def test_a_late_submission_through_the_api_is_marked_late(rep, customer, client_for, time_machine):
    """EXP-06"""
    time_machine.move_to("2026-10-09 10:00 +0800")
    statement = statement_create(actor=rep, month=SEPTEMBER)
    time_machine.move_to("2026-10-12 09:00 +0800")
    body = client_for(rep).post(f"{URL}{statement.pk}/submit/").json()
    assert body["late"] is True
    assert body["status"] == "submitted"


def test_the_rep_writes_notes(october, rep, customer, client_for):
    statement = statement_create(actor=rep, month=SEPTEMBER)
    response = client_for(rep).patch(
        f"{URL}{statement.pk}/", {"notes": "客户下月增量"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["notes"] == "客户下月增量"


def test_carry_over_lines_name_their_purchase_month(rep, module, customer, client_for, time_machine):
    """EXP-04: what is collected later becomes payable in a later month's statement."""
    time_machine.move_to("2026-10-09 10:00 +0800")
    statement_create(actor=rep, month=SEPTEMBER)
    row = customer.purchases.get()
    row.collected_amount = row.amount
    row.save(update_fields=["collected_amount"])
    purchase(customer, module, month=datetime.date(2026, 10, 1), quantity="3", amount="300.00")
    time_machine.move_to("2026-11-04 10:00 +0800")
    body = client_for(rep).post(URL, {"month": "2026-10"}, content_type="application/json").json()
    lines = {line["purchase_month"]: line for line in body["lines"]}
    assert set(lines) == {"2026-09", "2026-10"}
    assert lines["2026-09"]["payable"] == "43.20"  # the 40 % collected since
    assert lines["2026-10"]["payable"] == "15.00"
    assert body["total"] == "58.20"


def test_list_filters(october, rep, other_rep, clerk, module, client_for):
    """Filters ?month=&status=&rep= within what the user may see."""
    purchase(fee_customer(rep), module)
    purchase(fee_customer(other_rep), module)
    _submitted(rep)
    statement_create(actor=other_rep, month=SEPTEMBER)
    client = client_for(clerk)
    assert len(client.get(URL).json()["results"]) == 2
    assert [s["rep"] for s in client.get(URL, {"status": "submitted"}).json()["results"]] == ["rep"]
    assert [s["rep"] for s in client.get(URL, {"rep": "other_rep"}).json()["results"]] == ["other_rep"]
    assert len(client.get(URL, {"month": "2026-09"}).json()["results"]) == 2
    assert client.get(URL, {"month": "2026-08"}).json()["results"] == []
    assert client.get(URL, {"month": "2026-13"}).status_code == 400


def _statement_with_customers(rep, module, count):
    for _n in range(count):
        purchase(fee_customer(rep), module)
    return _submitted(rep)


def test_list_and_detail_run_a_constant_number_of_queries(october, rep, other_rep, clerk, module, client_for):
    """Constant queries whatever the number of customers and contacts (5 vs 50)."""
    small = _statement_with_customers(rep, module, 5)
    large = _statement_with_customers(other_rep, module, 50)
    statement_sign(actor=clerk, statement=large)
    client = client_for(clerk)

    def count(url, **params):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        return len(queries)

    assert count(URL, rep="rep") == count(URL, rep="other_rep")
    assert count(URL) == count(URL, rep="rep")
    assert count(f"{URL}{small.pk}/") == count(f"{URL}{large.pk}/")
    assert len(client.get(f"{URL}{large.pk}/").json()["lines"]) == 50
