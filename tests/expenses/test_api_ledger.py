"""/api/v1/ledger-entries/ (EXP-03): read-only, scoped like all fee data (EXP-13)."""

from decimal import Decimal

import pytest

from expenses.models import EntryKind, LedgerEntry
from expenses.services.review import statement_sign
from expenses.services.statements import statement_create, statement_submit
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase

pytestmark = pytest.mark.django_db

URL = "/api/v1/ledger-entries/"


@pytest.fixture
def valid_statements(rep, other_rep, clerk, manager, finance, time_machine):
    """Valid September statements of both reps: accruals per product account."""
    time_machine.move_to("2026-10-09 10:00 +0800")
    module = ProductFactory(code="P-MOD-IMP", name="进口模块")
    sensor = ProductFactory(code="P-SENSOR", name="传感器")
    fee_standard(module)
    fee_standard(sensor, tiers=[(1, None, "2.00")])
    statements = []
    for who in (rep, other_rep):
        customer = fee_customer(who)
        purchase(customer, module, quantity="12")
        purchase(customer, sensor, quantity="10")
        statement = statement_submit(actor=who, statement=statement_create(actor=who, month=SEPTEMBER))
        for signer in (clerk, manager, finance):
            statement_sign(actor=signer, statement=statement)
        statements.append(statement)
    return statements


def test_a_rep_reads_only_their_own_entries(valid_statements, rep, client_for):
    """EXP-03, EXP-13"""
    body = client_for(rep).get(URL).json()
    assert body["count"] == 2
    assert {entry["rep"] for entry in body["results"]} == {"rep"}
    entry = next(e for e in body["results"] if e["product"] == "P-MOD-IMP")
    assert entry["kind"] == "accrual"
    assert entry["amount"] == "108.00"
    assert entry["month"] == "2026-09"
    assert entry["account"]["name"] == "客户关系维护费——进口模块"
    other = LedgerEntry.objects.exclude(rep=rep).first()
    assert client_for(rep).get(f"{URL}{other.pk}/").status_code == 404


def test_finance_reads_all_and_filters(valid_statements, finance, client_for):
    """EXP-03: ?kind=&month=&rep=&account="""
    client = client_for(finance)
    assert client.get(URL).json()["count"] == 4
    assert client.get(URL, {"rep": "other_rep"}).json()["count"] == 2
    assert client.get(URL, {"kind": "accrual", "month": "2026-09"}).json()["count"] == 4
    assert client.get(URL, {"kind": "advance"}).json()["count"] == 0
    assert client.get(URL, {"month": "2026-08"}).json()["count"] == 0
    by_code = client.get(URL, {"account": "P-SENSOR"}).json()["results"]
    assert {e["amount"] for e in by_code} == {"20.00"}
    account_id = by_code[0]["account"]["id"]
    assert client.get(URL, {"account": str(account_id)}).json()["count"] == 2
    assert client.get(URL, {"month": "2026-13"}).status_code == 400
    assert client.get(URL, {"kind": "bribe"}).status_code == 400
    total = sum(Decimal(e["amount"]) for e in client.get(URL).json()["results"])
    assert total == Decimal("256.00")


def test_the_ledger_is_read_only(valid_statements, finance, client_for):
    """EXP-03: entries are immutable; no writes through the API."""
    client = client_for(finance)
    entry = LedgerEntry.objects.first()
    body = {"kind": EntryKind.ADVANCE, "amount": "1.00"}
    assert client.post(URL, body, content_type="application/json").status_code == 405
    assert client.patch(f"{URL}{entry.pk}/", body, content_type="application/json").status_code == 405
    assert client.delete(f"{URL}{entry.pk}/").status_code == 405


def test_management_and_outsiders_see_no_entries(valid_statements, gm, outsider, client_for):
    """EXP-13"""
    for user in (gm, outsider):
        assert client_for(user).get(URL).json()["count"] == 0
