"""Who feeds the inputs of the rapport fees, and what happens to a month already on a
submitted or signed statement (EXP-04, EXP-07, EXP-12, CUS-10, ORG-03)."""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from rest_framework.test import APIClient

from crm_project.core.errors import DomainError
from customers.models import LoyaltyEntry, Purchase
from customers.services import purchase_freeze
from customers.services.purchase_freeze import lock_purchase_months
from expenses.models import EntryKind, PurchaseCorrection, StatementStatus
from expenses.services.clawbacks import clawback_for_returns, clawbacks_due
from expenses.services.review import statement_return, statement_sign
from expenses.services.signoff import (
    signoff_paper_upload,
    signoff_payout,
    signoff_sheets_create,
    signoff_submit_to_finance,
    signoff_write_off,
)
from expenses.services.statements import statement_create, statement_submit
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase

pytestmark = pytest.mark.django_db

URL = "/api/v1/purchases/bulk-upsert/"
OCTOBER = date(2026, 10, 1)
PDF = b"%PDF-1.4\n%signed\n"


@pytest.fixture(autouse=True)
def _clock(settings, time_machine, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    time_machine.move_to("2026-10-09 10:00 +0800")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def module(db):
    product = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(product)
    return product


@pytest.fixture
def customer(rep, module):
    """12 modules in September (¥108 at ¥9), half collected: ¥54 payable."""
    customer = fee_customer(rep, code="C-JIA", name="甲公司")
    purchase(customer, module, collected="600.00", external_ref="ERP-1")
    return customer


def row(**overrides) -> dict:
    return {
        "external_ref": "ERP-1", "customer": "C-JIA", "product": "P-MOD-IMP", "month": "2026-09",
        "quantity": "12", "amount": "1200.00", "returned_quantity": "0", "returned_amount": "0",
        "collected_amount": "600.00", **overrides,
    }  # fmt: skip


def figures(purchase_row: Purchase) -> tuple:
    purchase_row.refresh_from_db()
    return (purchase_row.quantity, purchase_row.returned_quantity, purchase_row.collected_amount)


def sign_all(statement, *signers):
    for signer in signers:
        statement = statement_sign(actor=signer, statement=statement)
    return statement


# --- who may feed the figures ----------------------------------------------------------------


def test_a_rep_gets_403_from_the_bulk_upsert_even_for_their_own_customers(customer, rep, manager, director, gm,
                                                                          outsider, administrator):  # fmt: skip
    """EXP-04: nobody sets the inputs of their own fees; the upsert is the ERP's, the clerk's
    and finance's. Every other role gets 403 and nothing changes."""
    september = customer.purchases.get()
    body = [row(collected_amount="1200.00")]
    administrator.is_superuser = False
    administrator.save(update_fields=["is_superuser"])
    for user in (rep, manager, director, gm, outsider, administrator):
        response = api(user).post(URL, body, format="json")
        assert response.status_code == 403, user
    assert figures(september) == (Decimal("12.00"), Decimal("0.00"), Decimal("600.00"))
    assert not PurchaseCorrection.objects.exists()


def test_the_integration_user_finance_and_the_clerk_feed_purchases(customer, erp, finance, clerk, module):
    """EXP-04, CUS-10: the ERP integration and finance for every customer, the clerk for the
    department's; the contract stays {created, updated, unchanged}."""
    september = customer.purchases.get()
    response = api(erp).post(URL, [row(collected_amount="900.00")], format="json")
    assert (response.status_code, response.json()) == (200, {"created": 0, "updated": 1, "unchanged": 0})
    response = api(finance).post(URL, [row(collected_amount="1000.00"), row(external_ref="ERP-2", month="2026-08")],
                                 format="json")  # fmt: skip
    assert response.json() == {"created": 1, "updated": 1, "unchanged": 0}
    response = api(clerk).post(URL, [row(collected_amount="1200.00")], format="json")
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 0}
    assert figures(september) == (Decimal("12.00"), Decimal("0.00"), Decimal("1200.00"))
    assert september.history.first().history_user == clerk  # ORG-03


def test_implausible_rows_are_refused_with_the_row_and_field_and_nothing_is_written(customer, erp):
    """EXP-04, CUS-10: collected above the row's net sales, and sizes no real row has → 400
    naming each row and field; the whole batch writes nothing."""
    september = customer.purchases.get()
    rows = [
        row(collected_amount="1200.00"),  # good on its own
        row(external_ref="ERP-2", month="2026-08", returned_quantity="2", returned_amount="200.00",
            collected_amount="1100.00"),  # collected above the net sales of ¥1,000
        row(external_ref="ERP-3", month="2026-07", quantity="2000000", collected_amount="0"),
        row(external_ref="ERP-4", month="2026-06", amount="250000000.00", collected_amount="0"),
    ]  # fmt: skip
    response = api(erp).post(URL, rows, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(error["index"], error["field"]) for error in errors} == {
        (1, "collected_amount"), (2, "quantity"), (3, "amount"),
    }  # fmt: skip
    messages = {error["index"]: error["message"] for error in errors}
    assert "(¥1100.00) is more than the net sales of this row (¥1000.00)" in messages[1]
    assert "above 1,000,000 units" in messages[2] and "above ¥100,000,000" in messages[3]
    assert Purchase.objects.count() == 1
    assert figures(september) == (Decimal("12.00"), Decimal("0.00"), Decimal("600.00"))
    assert LoyaltyEntry.objects.count() == 0


# --- frozen months ------------------------------------------------------------------------------


def test_an_upsert_into_a_submitted_month_is_a_correction_carried_by_the_next_statement(
    customer, rep, erp, client_for, time_machine
):
    """EXP-04, EXP-07, ORG-03: the September statement is submitted; the ERP then reports
    the other half collected. The row and the statement stay as submitted; a correction
    keeps both figures and who; October's statement pays the ¥54 difference as a
    carry-over and shows the correction."""
    september = customer.purchases.get()
    statement = statement_submit(actor=rep, statement=statement_create(actor=rep, month=SEPTEMBER))
    response = api(erp).post(URL, [row(collected_amount="1200.00")], format="json")
    assert (response.status_code, response.json()) == (200, {"created": 0, "updated": 1, "unchanged": 0})
    assert figures(september) == (Decimal("12.00"), Decimal("0.00"), Decimal("600.00"))
    line = statement.lines.get()
    assert (line.fee, line.payable, line.collected) == (Decimal("108.00"), Decimal("54.00"), Decimal("600.00"))
    correction = PurchaseCorrection.objects.get()
    assert (correction.old_collected_amount, correction.collected_amount) == (Decimal("600.00"), Decimal("1200.00"))
    assert (correction.made_by, correction.source, correction.frozen_by, correction.carried_by) == (
        erp, "api", statement, None,
    )  # fmt: skip
    assert correction.history.get().history_user == erp  # ORG-03
    # Sending it again changes nothing and posts nothing.
    assert api(erp).post(URL, [row(collected_amount="1200.00")], format="json").json() == {
        "created": 0, "updated": 0, "unchanged": 1,
    }  # fmt: skip
    assert PurchaseCorrection.objects.count() == 1
    page = client_for(rep).get(f"/fees/statements/{statement.pk}/").content.decode()
    assert 'id="corrected-since"' in page and "1 purchase of this statement was corrected" in page

    time_machine.move_to("2026-11-04 10:00 +0800")
    october = statement_create(actor=rep, month=OCTOBER)
    carry = october.lines.get()
    assert (carry.purchase_month, carry.collected, carry.payable) == (SEPTEMBER, Decimal("1200.00"), Decimal("54.00"))
    correction.refresh_from_db()
    assert correction.carried_by == october
    page = client_for(rep).get(f"/fees/statements/{october.pk}/").content.decode()
    assert 'id="late-corrections"' in page and erp.display_name in page
    assert "600.00 → <span" in page
    timeline = client_for(rep).get(f"/customers/{customer.pk}/").content.decode()
    assert "Late correction of 2026-09" in timeline and "Carried by the statement for 2026-10." in timeline
    statement.refresh_from_db()
    assert statement.lines.get().payable == Decimal("54.00")


def test_an_upsert_into_a_written_off_month_leaves_it_and_claws_back_against_the_next_statement(
    customer, rep, clerk, manager, finance, erp, client_for, time_machine
):
    """EXP-04, EXP-11, EXP-12: September is signed, paid and written off (¥108, all
    collected). In November the ERP reports 3 units returned: the row, the statement and
    its fee stay; the correction shows on the October statement and makes ¥27 due, clawed
    back against it."""
    Purchase.objects.filter(pk=customer.purchases.get().pk).update(collected_amount=Decimal("1200.00"))
    statement = sign_all(statement_submit(actor=rep, statement=statement_create(actor=rep, month=SEPTEMBER)),
                         clerk, manager, finance)  # fmt: skip
    for sheet in signoff_sheets_create(actor=rep, statement=statement):
        signoff_payout(actor=rep, sheet=sheet)
        signoff_paper_upload(actor=rep, sheet=sheet, file=SimpleUploadedFile("s.pdf", PDF))
    signoff_submit_to_finance(actor=rep, statement=statement)
    for sheet in statement.signoff_sheets.all():
        signoff_write_off(actor=finance, sheet=sheet)
    statement.refresh_from_db()
    assert statement.written_off_at and statement.status == StatementStatus.VALID
    time_machine.move_to("2026-11-04 10:00 +0800")
    october = statement_create(actor=rep, month=OCTOBER)

    body = [row(returned_quantity="3", returned_amount="300.00", collected_amount="900.00")]
    assert api(erp).post(URL, body, format="json").json() == {"created": 0, "updated": 1, "unchanged": 0}
    september = customer.purchases.get()
    assert figures(september) == (Decimal("12.00"), Decimal("0.00"), Decimal("1200.00"))
    assert statement.lines.get().payable == Decimal("108.00")
    correction = PurchaseCorrection.objects.get()
    assert (correction.old_returned_quantity, correction.returned_quantity) == (Decimal("0.00"), Decimal("3.00"))
    assert (correction.frozen_by, correction.carried_by) == (statement, october)
    page = client_for(rep).get(f"/fees/statements/{october.pk}/").content.decode()
    assert 'id="late-corrections"' in page and "0.00 → <span" in page
    assert [due.due for due in clawbacks_due()] == [Decimal("27.00")]
    [entry] = clawback_for_returns(actor=finance, statement=statement)
    assert (entry.kind, entry.amount, entry.month, entry.statement) == (
        EntryKind.CLAW_BACK, Decimal("-27.00"), SEPTEMBER, october,
    )  # fmt: skip


def test_the_clerks_hand_entry_and_an_import_into_a_signed_month_are_corrections(
    customer, rep, clerk, manager, finance, client_for
):
    """EXP-04, CUS-12: every way in posts a correction for a frozen month; a new product's
    row for that month starts at zero with the correction holding its figures."""
    statement = sign_all(statement_submit(actor=rep, statement=statement_create(actor=rep, month=SEPTEMBER)),
                         clerk, manager, finance)  # fmt: skip
    september = customer.purchases.get()
    client = client_for(clerk)
    response = client.post(
        f"/customers/{customer.pk}/purchases/{september.pk}/edit/",
        {"quantity": "12", "amount": "1200.00", "returned_quantity": "0", "returned_amount": "0",
         "collected_amount": "1000"},
        follow=True,
    )  # fmt: skip
    assert "saved as a late correction" in response.content.decode()
    assert figures(september) == (Decimal("12.00"), Decimal("0.00"), Decimal("600.00"))
    cable = ProductFactory(code="P-CABLE", name="电缆")
    response = client.post(
        f"/customers/{customer.pk}/purchases/new/",
        {"product": cable.pk, "month": "2026-09", "quantity": "5", "amount": "500.00", "returned_quantity": "0",
         "returned_amount": "0", "collected_amount": "500"},
    )  # fmt: skip
    assert response.status_code == 302
    new_row = customer.purchases.get(product=cable)
    assert (new_row.quantity, new_row.amount) == (Decimal("0.00"), Decimal("0.00"))
    corrections = list(PurchaseCorrection.objects.order_by("pk"))
    assert [(c.source, c.collected_amount, c.frozen_by) for c in corrections] == [
        ("manual", Decimal("1000.00"), statement), ("manual", Decimal("500.00"), statement),
    ]  # fmt: skip
    assert corrections[1].old_quantity == Decimal("0.00") and corrections[1].quantity == Decimal("5.00")
    assert statement.lines.count() == 1
    page = client_for(rep).get(f"/fees/statements/{statement.pk}/").content.decode()
    assert "2 purchases of this statement were corrected" in page and "The signed statement keeps its figures" in page


def test_a_returned_statement_unfreezes_its_month(customer, rep, clerk, erp):
    """EXP-07, EXP-04: returned to the rep, the signatures start again and so does the
    month: the correction is written to the purchase (with its reason in the history), the
    ERP's next change updates the row in place, and the resubmission is computed from it."""
    september = customer.purchases.get()
    statement = statement_submit(actor=rep, statement=statement_create(actor=rep, month=SEPTEMBER))
    api(erp).post(URL, [row(collected_amount="900.00")], format="json")
    assert figures(september)[2] == Decimal("600.00")
    statement_return(actor=clerk, statement=statement, comment="Please check the collections.")
    assert figures(september)[2] == Decimal("900.00")
    assert "statement for 2026-09 was returned" in september.history.first().history_change_reason
    assert PurchaseCorrection.objects.get().applied_at is not None
    assert api(erp).post(URL, [row(collected_amount="1200.00")], format="json").json()["updated"] == 1
    assert figures(september)[2] == Decimal("1200.00")
    assert PurchaseCorrection.objects.count() == 1  # in place, no new correction
    statement = statement_submit(actor=rep, statement=statement)
    assert statement.lines.get().payable == Decimal("108.00")
    # Submitted again, the month is frozen again.
    api(erp).post(URL, [row(collected_amount="1100.00")], format="json")
    assert figures(september)[2] == Decimal("1200.00")
    assert PurchaseCorrection.objects.filter(applied_at__isnull=True).count() == 1


def _until_a_connection_waits_for_a_lock() -> None:
    """Poll PostgreSQL until another connection waits for a lock. Sleeping, not a timed wait on a
    thread event: under libfaketime (the suite at another date) a timed wait that runs out hangs."""
    with connection.cursor() as cursor:
        for _attempt in range(400):
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.025)
    raise AssertionError("the submission never waited for the purchase write")


@pytest.mark.django_db(transaction=True)
def test_a_submission_waits_for_a_purchase_write_in_flight(customer, rep):
    """EXP-04: submitting takes the freeze lock exclusively, so a purchase write that has
    already checked "not frozen" finishes first and the statement is computed from it."""
    statement = statement_create(actor=rep, month=SEPTEMBER)
    submitted = threading.Event()

    def submit():
        try:
            statement_submit(actor=rep, statement=statement)
            submitted.set()
        finally:
            connection.close()

    with transaction.atomic():
        lock_purchase_months()  # what every purchase write takes first
        thread = threading.Thread(target=submit)
        thread.start()
        _until_a_connection_waits_for_a_lock()
        assert not submitted.is_set()
        Purchase.objects.filter(customer=customer).update(collected_amount=Decimal("1200.00"))
    thread.join(timeout=20)
    assert submitted.is_set()
    assert statement.lines.get().payable == Decimal("108.00")


@pytest.mark.django_db(transaction=True)
def test_a_submission_does_not_wait_for_ever_on_a_long_import(customer, rep, monkeypatch):
    """EXP-04: while a long purchase write holds the freeze lock, submitting answers with a
    message after a bounded wait and changes nothing."""
    monkeypatch.setattr(purchase_freeze, "FREEZE_WAIT_MS", 200)
    statement = statement_create(actor=rep, month=SEPTEMBER)
    holding, release, outcome = threading.Event(), threading.Event(), []

    def long_import():
        try:
            with transaction.atomic():
                lock_purchase_months()
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=long_import)
    thread.start()
    try:
        assert holding.wait(10)
        with pytest.raises(DomainError, match="Purchases are being written right now"):
            statement_submit(actor=rep, statement=statement)
        outcome.append("refused")
    finally:
        release.set()
        thread.join(timeout=20)
    statement.refresh_from_db()
    assert outcome == ["refused"] and statement.status == StatementStatus.DRAFT
    assert statement_submit(actor=rep, statement=statement).status == StatementStatus.SUBMITTED
