"""Finance's page /fees/finance/ (EXP-10, EXP-11, EXP-12, EXP-13): advances to pay and
outstanding by rep, payouts to write off, claw-backs, special fees to pay, with Excel exports."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from crm_project.core.models import ExportLog
from customers.models import Purchase
from expenses.models import SignoffMethod, SignoffSheet
from expenses.services.advances import advance_pay, advance_request
from expenses.services.signoff import signoff_sheets_create
from tests.expenses.factories import ProductFactory, fee_customer, fee_standard, purchase, valid_statement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings, db, time_machine):
    time_machine.move_to("2026-10-09 10:00 +0800")


@pytest.fixture
def module(db):
    product = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(product)
    return product


def _statement(rep, signers, module, contacts: int, name: str):
    customer = fee_customer(rep, name=name, shares=[f"{100 / contacts:.2f}"] * (contacts - 1)
                            + [f"{100 - (contacts - 1) * round(100 / contacts, 2):.2f}"])  # fmt: skip
    purchase(customer, module, quantity="400", amount="40000.00")  # ¥4,000 payable
    return valid_statement(rep, **signers, customers=[customer], product=module)


def _hand_in(statement):
    """Sheets paid, confirmed and handed to finance (the services are tested elsewhere)."""
    signoff_sheets_create(actor=statement.rep, statement=statement)
    now = timezone.now()
    SignoffSheet.objects.filter(statement=statement).update(
        paid_at=now, confirmed_at=now, method=SignoffMethod.LINK, submitted_to_finance_at=now
    )


@pytest.fixture
def signers(clerk, manager, finance):
    return {"clerk": clerk, "manager": manager, "finance": finance}


def test_finance_sees_everything_that_waits_and_exports_it(rep, signers, finance, module, client_for, time_machine):
    """EXP-10, EXP-11, EXP-12"""
    statement = _statement(rep, signers, module, 4, "甲公司")
    _hand_in(statement)
    time_machine.move_to("2026-10-19 09:00 +0800")
    advance_pay(actor=finance, advance=advance_request(actor=rep, statement=statement, amount="1000"))
    Purchase.objects.filter(customer__name="甲公司").update(returned_quantity=Decimal("40"),
                                                           returned_amount=Decimal("4000.00"))  # fmt: skip
    client = client_for(finance)
    page = client.get("/fees/finance/")
    html = page.content.decode()
    assert page.status_code == 200
    for section in ("advances-outstanding", "payouts-to-write-off", "clawbacks-due", "special-fees-to-pay"):
        assert f'id="{section}"' in html
    assert "¥1000.00" in html and "¥400.00" in html  # outstanding; 40 of 400 units → ¥400 to claw back
    assert "2026-10-23" in html  # the write-off deadline (the 25th is a Sunday)
    for name, rows in (("outstanding", 1), ("advances", 1), ("payouts", 4), ("clawbacks", 0)):
        response = client.get("/fees/finance/", {"export": name})
        assert response.status_code == 200, name
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        assert sheet.max_row == rows + 1, name
    assert ExportLog.objects.filter(user=finance).count() == 4


def test_finance_writes_off_and_claws_back_from_the_page(rep, signers, finance, module, client_for):
    """EXP-11, EXP-12"""
    statement = _statement(rep, signers, module, 2, "甲公司")
    _hand_in(statement)
    sheet = SignoffSheet.objects.filter(statement=statement).first()
    client = client_for(finance)
    response = client.post(f"/fees/sheets/{sheet.pk}/write-off/", {"amount": "1999.99", "next": "/fees/finance/"})
    assert response.status_code == 302 and response["Location"] == "/fees/finance/"
    sheet.refresh_from_db()
    assert sheet.written_off_amount == Decimal("1999.99")
    response = client.post(f"/fees/sheets/{sheet.pk}/write-off/", {"amount": "10", "next": "https://evil.example/"})
    assert response["Location"] == f"/fees/payouts/{statement.pk}/"  # already written off; no open redirect
    Purchase.objects.filter(customer__name="甲公司").update(returned_quantity=Decimal("4"),
                                                           returned_amount=Decimal("400.00"))  # fmt: skip
    response = client.post(f"/fees/payouts/{statement.pk}/claw-back/", {"next": "/fees/finance/"})
    assert response["Location"] == "/fees/finance/"
    assert "¥-40.00" in client.get("/fees/finance/").content.decode()


def test_only_finance_has_the_page(rep, other_rep, clerk, manager, director, outsider, gm, client_for):
    """EXP-13, ORG-02: everyone else gets 404, exports included."""
    for person in (rep, other_rep, clerk, manager, director, outsider, gm):
        client = client_for(person)
        assert client.get("/fees/finance/").status_code == 404, person
        assert client.get("/fees/finance/", {"export": "payouts"}).status_code == 404, person


def test_the_finance_page_runs_a_constant_number_of_queries(
    rep, other_rep, signers, finance, module, client_for, time_machine
):
    """EXP-11: 5 sheets or 50, 1 rep or 2 — the same number of queries."""
    _hand_in(_statement(rep, signers, module, 5, "甲公司"))
    client = client_for(finance)
    client.get("/fees/finance/")
    with CaptureQueriesContext(connection) as five:
        client.get("/fees/finance/")
    _hand_in(_statement(other_rep, signers, module, 45, "乙公司"))
    time_machine.move_to("2026-10-19 09:00 +0800")
    for person in (rep, other_rep):
        statement = person.statements.get()
        advance_pay(actor=finance, advance=advance_request(actor=person, statement=statement, amount="100"))
    with CaptureQueriesContext(connection) as fifty:
        client.get("/fees/finance/")
    assert SignoffSheet.objects.count() == 50
    assert len(five) == len(fifty), [q["sql"][:120] for q in fifty.captured_queries]


def test_the_write_off_deadline_is_shown_per_month(rep, signers, finance, module, client_for):
    """EXP-11: write-off by the 25th; on a Sunday, the last working day before it."""
    _hand_in(_statement(rep, signers, module, 2, "甲公司"))
    html = client_for(finance).get("/fees/finance/").content.decode()
    assert datetime.date(2026, 10, 23).isoformat() in html
