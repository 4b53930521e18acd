"""Advances 借支 and the manager's spot-check (EXP-10)."""

from decimal import Decimal

import pytest

from crm_project.core.errors import DomainError, PermissionDenied
from expenses.models import Advance, AdvanceStatus, EntryKind, LedgerEntry, SpotCheck
from expenses.services.advances import (
    advance_available,
    advance_pay,
    advance_request,
    outstanding_advances,
    spot_check_record,
)
from expenses.services.review import statement_sign
from expenses.services.statements import statement_create, statement_submit
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, purchase, valid_statement
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

OPEN_DAY = "2026-10-19 09:00 +0800"  # the 9th working day of October 2026


@pytest.fixture
def big_statement(rep, clerk, manager, finance, time_machine):
    """A valid September statement with ¥4,000 payable on each of 4 customers (400 units at
    ¥10), so the cap — not the statement — limits the advances."""
    time_machine.move_to("2026-10-09 10:00 +0800")
    product = ProductFactory(code="P-MOD-IMP", name="进口模块")
    customers = [fee_customer(rep) for _ in range(4)]
    for customer in customers:
        purchase(customer, product, quantity="400", amount="40000.00")
    from tests.expenses.factories import fee_standard

    fee_standard(product)
    return valid_statement(rep, clerk=clerk, manager=manager, finance=finance, customers=customers, product=product)


def _customers(statement):
    return list(dict.fromkeys(line.customer for line in statement.lines.select_related("customer")))


def test_advances_open_on_the_9th_working_day_19_october_2026(big_statement, rep, time_machine):
    """EXP-10, CAL-02: for the September 2026 statement, the 9th working day of October 2026
    (after the National Day holidays and the make-up Saturday) is Monday 19 October."""
    time_machine.move_to("2026-10-16 17:00 +0800")
    with pytest.raises(DomainError, match="2026-10-19"):
        advance_request(actor=rep, statement=big_statement, amount="500")
    assert not Advance.objects.exists()
    time_machine.move_to(OPEN_DAY)
    advance = advance_request(actor=rep, statement=big_statement, amount="500")
    assert advance.status == AdvanceStatus.REQUESTED


def test_a_statement_missing_a_signature_pays_nothing(rep, clerk, manager, time_machine):
    """EXP-07, EXP-10: only a fully signed statement; nothing can be paid from another."""
    time_machine.move_to("2026-10-09 10:00 +0800")
    product = ProductFactory(code="P-MOD-IMP")
    from tests.expenses.factories import fee_standard

    fee_standard(product)
    purchase(fee_customer(rep), product)
    statement = statement_submit(actor=rep, statement=statement_create(actor=rep, month=SEPTEMBER))
    statement_sign(actor=clerk, statement=statement)
    statement_sign(actor=manager, statement=statement)  # finance has not signed
    time_machine.move_to(OPEN_DAY)
    with pytest.raises(DomainError, match="nothing can be paid"):
        advance_request(actor=rep, statement=statement, amount="50")
    assert not Advance.objects.exists()


def test_an_advance_over_the_cap_is_refused_with_the_amount_still_available(big_statement, rep, finance, time_machine):
    """EXP-10: at most ¥3,000 outstanding per rep; the refusal says what is left."""
    time_machine.move_to(OPEN_DAY)
    first = advance_request(actor=rep, statement=big_statement, amount="2500.00")
    with pytest.raises(DomainError, match=r"still draw ¥500\.00"):
        advance_request(actor=rep, statement=big_statement, amount="600")
    assert advance_available(rep) == Decimal("500.00")
    advance_pay(actor=finance, advance=first)
    assert outstanding_advances(rep) == Decimal("2500.00")
    assert Advance.objects.count() == 1


def test_bad_amounts_are_refused(big_statement, rep, time_machine):
    """EXP-10: negative, zero, non-numeric or sub-fen amounts; more than the statement leaves."""
    time_machine.move_to(OPEN_DAY)
    for amount, message in [("-5", "more than zero"), ("0", "more than zero"), ("abc", "number"),
                            ("1.005", "two decimals")]:  # fmt: skip
        with pytest.raises(DomainError, match=message):
            advance_request(actor=rep, statement=big_statement, amount=amount)
    assert not Advance.objects.exists()


def test_not_more_than_the_statement_leaves(rep, clerk, manager, finance, time_machine):
    """EXP-10: an advance is drawn against the statement's payable fees."""
    time_machine.move_to("2026-10-09 10:00 +0800")
    statement = valid_statement(rep, clerk=clerk, manager=manager, finance=finance)  # ¥108 payable
    time_machine.move_to(OPEN_DAY)
    with pytest.raises(DomainError, match=r"leaves ¥108\.00"):
        advance_request(actor=rep, statement=statement, amount="108.01")
    advance_request(actor=rep, statement=statement, amount="100")
    with pytest.raises(DomainError, match=r"leaves ¥8\.00"):
        advance_request(actor=rep, statement=statement, amount="10")


def test_only_the_rep_draws_on_their_own_statement(big_statement, other_rep, manager, time_machine):
    """EXP-10, ORG-02"""
    time_machine.move_to(OPEN_DAY)
    with pytest.raises(PermissionDenied):
        advance_request(actor=other_rep, statement=big_statement, amount="100")
    with pytest.raises(PermissionDenied):
        advance_request(actor=manager, statement=big_statement, amount="100")


def test_only_finance_pays_and_the_payment_is_a_ledger_entry(big_statement, rep, manager, finance, time_machine):
    """EXP-10, EXP-03"""
    time_machine.move_to(OPEN_DAY)
    advance = advance_request(actor=rep, statement=big_statement, amount="1000")
    with pytest.raises(PermissionDenied):
        advance_pay(actor=manager, advance=advance)
    advance = advance_pay(actor=finance, advance=advance)
    assert advance.status == AdvanceStatus.PAID and advance.paid_by == finance
    entry = LedgerEntry.objects.get(kind=EntryKind.ADVANCE)
    assert (entry.amount, entry.advance, entry.rep) == (Decimal("1000.00"), advance, rep)
    with pytest.raises(DomainError, match="paid"):
        advance_pay(actor=finance, advance=advance)
    assert LedgerEntry.objects.filter(kind=EntryKind.ADVANCE).count() == 1


def test_no_further_advance_until_the_manager_spot_checked_three_customers(
    big_statement, rep, manager, finance, time_machine
):
    """EXP-10: after paying out, the sales manager confirms receipt with 3 customers; only then
    may the rep draw the rest."""
    time_machine.move_to(OPEN_DAY)
    advance_pay(actor=finance, advance=advance_request(actor=rep, statement=big_statement, amount="1000"))
    with pytest.raises(DomainError, match="spot-check"):
        advance_request(actor=rep, statement=big_statement, amount="500")
    customers = _customers(big_statement)
    with pytest.raises(DomainError, match="exactly 3"):
        spot_check_record(actor=manager, statement=big_statement, customers=customers[:2], all_confirmed=True)
    with pytest.raises(DomainError, match="said"):
        spot_check_record(actor=manager, statement=big_statement, customers=customers[:3], all_confirmed=False)
    spot_check_record(actor=manager, statement=big_statement, customers=customers[:3], all_confirmed=False,
                      note="客户B未收到")  # fmt: skip
    with pytest.raises(DomainError, match="spot-check"):
        advance_request(actor=rep, statement=big_statement, amount="500")  # a check that found a problem
    check = spot_check_record(actor=manager, statement=big_statement, customers=customers[1:4], all_confirmed=True)
    assert check.customers.count() == 3 and check.advance is not None
    assert advance_request(actor=rep, statement=big_statement, amount="500").amount == Decimal("500.00")


def test_only_the_departments_manager_spot_checks(big_statement, rep, clerk, finance, time_machine):
    """EXP-10"""
    time_machine.move_to(OPEN_DAY)
    customers = _customers(big_statement)[:3]
    elsewhere = UserFactory(username="mgr2", department=DepartmentFactory(code="sales2"), roles=["sales_manager"])
    for person in (rep, clerk, finance, elsewhere):
        with pytest.raises(PermissionDenied):
            spot_check_record(actor=person, statement=big_statement, customers=customers, all_confirmed=True)
    assert not SpotCheck.objects.exists()


def test_customers_outside_the_statement_are_refused(big_statement, manager, rep, time_machine):
    """EXP-10"""
    time_machine.move_to(OPEN_DAY)
    stranger = fee_customer(rep)
    customers = _customers(big_statement)[:2] + [stranger]
    with pytest.raises(DomainError, match="customers of this statement"):
        spot_check_record(actor=manager, statement=big_statement, customers=customers, all_confirmed=True)


# --- pages and API ------------------------------------------------------------------------------


def test_the_rep_requests_on_the_page_and_finance_pays_from_the_list(
    big_statement, rep, finance, client_for, time_machine
):
    """EXP-10"""
    time_machine.move_to(OPEN_DAY)
    client = client_for(rep)
    page = client.get("/fees/advances/new/")
    assert page.status_code == 200 and "¥3000.00" in page.content.decode()
    response = client.post("/fees/advances/new/", {"statement": big_statement.pk, "amount": "3000.01"})
    assert response.status_code == 200 and "still draw" in response.content.decode()
    response = client.post("/fees/advances/new/", {"statement": big_statement.pk, "amount": "1200"})
    advance = Advance.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/fees/advances/{advance.pk}/"
    assert client.get("/fees/advances/").status_code == 200
    assert 'id="pay-advance"' not in client.get(f"/fees/advances/{advance.pk}/").content.decode()
    finance_client = client_for(finance)
    assert 'id="pay-advance"' in finance_client.get(f"/fees/advances/{advance.pk}/").content.decode()
    assert "advance-table" in finance_client.get("/fees/advances/").content.decode()
    finance_client.post(f"/fees/advances/{advance.pk}/pay/")
    advance.refresh_from_db()
    assert advance.status == AdvanceStatus.PAID
    export = finance_client.get("/fees/advances/?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_manager_records_the_spot_check_on_its_page(big_statement, rep, manager, finance, client_for, time_machine):
    """EXP-10"""
    time_machine.move_to(OPEN_DAY)
    advance_pay(actor=finance, advance=advance_request(actor=rep, statement=big_statement, amount="1000"))
    client = client_for(manager)
    url = f"/fees/payouts/{big_statement.pk}/spot-check/"
    assert client.get(url).status_code == 200
    ids = [c.pk for c in _customers(big_statement)]
    response = client.post(url, {"customers": ids[:2], "all_confirmed": "on"})
    assert response.status_code == 200 and "exactly 3" in response.content.decode()
    response = client.post(url, {"customers": ids[:3], "all_confirmed": "on"})
    assert response.status_code == 302
    assert SpotCheck.objects.get().all_confirmed
    assert client_for(rep).get(url).status_code == 403


def test_the_api_takes_statement_and_amount_and_refuses_with_a_reason(
    big_statement, rep, finance, client_for, time_machine
):
    """EXP-10: POST /api/v1/advances/ {statement, amount}; refusals are 400 (403 for a role
    that may never do it) and change nothing."""
    time_machine.move_to(OPEN_DAY)
    client = client_for(rep)
    response = client.post(
        "/api/v1/advances/", {"statement": big_statement.pk, "amount": "3500"}, content_type="application/json"
    )
    assert response.status_code == 400 and "still draw ¥3,000.00" in str(response.json())
    response = client.post(
        "/api/v1/advances/", {"statement": big_statement.pk, "amount": "abc"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert not Advance.objects.exists()
    response = client.post(
        "/api/v1/advances/", {"statement": big_statement.pk, "amount": "800.00"}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["amount"], body["status"], body["month"], body["rep"]) == ("800.00", "requested", "2026-09", "rep")
    assert client.post(f"/api/v1/advances/{body['id']}/pay/").status_code == 403
    paid = client_for(finance).post(f"/api/v1/advances/{body['id']}/pay/")
    assert paid.status_code == 200 and paid.json()["status"] == "paid"


def test_outsiders_see_no_advance(big_statement, rep, other_rep, outsider, gm, client_for, time_machine):
    """EXP-13, ORG-02: another rep, another department and management get 404 on every page and
    endpoint of it."""
    time_machine.move_to(OPEN_DAY)
    advance = advance_request(actor=rep, statement=big_statement, amount="100")
    for person in (other_rep, outsider, gm):
        client = client_for(person)
        assert client.get(f"/fees/advances/{advance.pk}/").status_code == 404
        assert client.post(f"/fees/advances/{advance.pk}/pay/").status_code == 404
        assert client.get(f"/fees/payouts/{big_statement.pk}/spot-check/").status_code == 404
        assert client.get(f"/api/v1/advances/{advance.pk}/").status_code == 404
        assert client.post(f"/api/v1/advances/{advance.pk}/pay/").status_code == 404
        assert client.get("/api/v1/advances/").json()["count"] == 0
    for person in (outsider, gm):
        assert client_for(person).get("/fees/advances/").status_code == 404
        assert client_for(person).get("/fees/advances/new/").status_code == 404
    assert "advance-table" not in client_for(other_rep).get("/fees/advances/").content.decode()
    response = client_for(other_rep).post(
        "/api/v1/advances/", {"statement": big_statement.pk, "amount": "10"}, content_type="application/json"
    )
    assert response.status_code == 400
