"""Write-off (EXP-11), settling advances (EXP-10), claw-backs for returns (EXP-12), the
immutable ledger (EXP-03), and the full month cycle from purchases to write-off."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction

from crm_project.core.errors import DomainError, PermissionDenied
from customers.models import Purchase
from expenses.models import (
    Advance,
    AdvanceStatus,
    EntryKind,
    LedgerEntry,
    SignoffMethod,
    SignoffSheet,
    StatementStatus,
)
from expenses.services.advances import (
    advance_available,
    advance_pay,
    advance_request,
    outstanding_advances,
    spot_check_record,
)
from expenses.services.clawbacks import clawback_for_returns, clawbacks_due
from expenses.services.review import statement_sign
from expenses.services.signoff import (
    signoff_confirm_by_link,
    signoff_link_issue,
    signoff_paper_upload,
    signoff_payout,
    signoff_sheets_create,
    signoff_spot_check,
    signoff_submit_to_finance,
    signoff_write_off,
)
from expenses.services.statements import statement_create, statement_submit
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase, valid_statement

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%signed\n"
OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _setup(settings, db, time_machine, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    time_machine.move_to("2026-10-09 10:00 +0800")


@pytest.fixture
def products(db):
    module = ProductFactory(code="P-MOD-IMP", name="进口模块")
    sensor = ProductFactory(code="P-SENSOR", name="传感器")
    fee_standard(module)
    fee_standard(sensor)
    return module, sensor


@pytest.fixture
def statement(rep, clerk, manager, finance, products):
    """One customer: 12 modules (¥108) and 5 sensors (¥35), contacts at 50/30/20 %."""
    module, sensor = products
    customer = fee_customer(rep, name="甲公司")
    purchase(customer, module)
    purchase(customer, sensor, quantity="5", amount="500.00")
    return valid_statement(rep, clerk=clerk, manager=manager, finance=finance, customers=[customer], product=module)


def _sheets(statement):
    return list(SignoffSheet.objects.filter(statement=statement).order_by("-amount", "pk"))


def _confirmed(rep, statement, *, hand_in=True):
    signoff_sheets_create(actor=rep, statement=statement)
    sheets = []
    for sheet in _sheets(statement):
        signoff_payout(actor=rep, sheet=sheet)
        sheets.append(signoff_paper_upload(actor=rep, sheet=sheet, file=SimpleUploadedFile("s.pdf", PDF)))
    if hand_in:
        signoff_submit_to_finance(actor=rep, statement=statement)
    return _sheets(statement)


def test_nothing_is_written_off_without_a_sheet_handed_to_finance(statement, rep, manager, finance):
    """EXP-11: without a sheet nothing is written off."""
    signoff_sheets_create(actor=rep, statement=statement)
    sheet = _sheets(statement)[0]
    signoff_payout(actor=rep, sheet=sheet)
    with pytest.raises(DomainError, match="nothing is written off"):
        signoff_write_off(actor=finance, sheet=sheet)
    signoff_paper_upload(actor=rep, sheet=sheet, file=SimpleUploadedFile("s.pdf", PDF))
    with pytest.raises(DomainError, match="nothing is written off"):
        signoff_write_off(actor=finance, sheet=sheet)  # confirmed, but not handed in
    signoff_submit_to_finance(actor=rep, statement=statement)
    for person in (rep, manager):
        with pytest.raises(PermissionDenied):
            signoff_write_off(actor=person, sheet=sheet)
    assert not LedgerEntry.objects.filter(kind=EntryKind.WRITE_OFF).exists()


def test_finances_amount_is_final_and_posted_per_product(statement, rep, finance):
    """EXP-11, EXP-03: finance's amount may differ from the sheet and is what is written off,
    split over the product accounts in proportion to the sheet's parts."""
    sheet = _confirmed(rep, statement)[0]
    assert sheet.amount == Decimal("71.50")  # ¥54.00 modules + ¥17.50 sensors
    for bad, message in [("-1", "more than zero"), ("x", "number"), ("1.001", "two decimals")]:
        with pytest.raises(DomainError, match=message):
            signoff_write_off(actor=finance, sheet=sheet, amount=bad)
    sheet = signoff_write_off(actor=finance, sheet=sheet, amount="70.00")
    assert (sheet.amount, sheet.written_off_amount, sheet.written_off_by) == (Decimal("71.50"), Decimal("70.00"),
                                                                             finance)  # fmt: skip
    entries = {e.account.name: e.amount for e in LedgerEntry.objects.filter(kind=EntryKind.WRITE_OFF)}
    assert entries == {"客户关系维护费——进口模块": Decimal("52.87"), "客户关系维护费——传感器": Decimal("17.13")}
    with pytest.raises(DomainError, match="already written off"):
        signoff_write_off(actor=finance, sheet=sheet, amount="71.50")


def test_the_last_write_off_closes_the_statement_and_settles_its_advances(
    statement, rep, manager, finance, time_machine
):
    """EXP-10, EXP-11: outstanding advances are settled by the write-off."""
    time_machine.move_to("2026-10-19 09:00 +0800")
    advance = advance_pay(actor=finance, advance=advance_request(actor=rep, statement=statement, amount="100"))
    assert outstanding_advances(rep) == Decimal("100.00")
    sheets = _confirmed(rep, statement)
    for sheet in sheets[:-1]:
        signoff_write_off(actor=finance, sheet=sheet)
    statement.refresh_from_db()
    assert statement.written_off_at is None
    signoff_write_off(actor=finance, sheet=sheets[-1], amount="0")
    statement.refresh_from_db()
    advance.refresh_from_db()
    assert statement.written_off_at and advance.status == AdvanceStatus.SETTLED
    assert outstanding_advances(rep) == Decimal("0.00") and advance_available(rep) == Decimal("3000.00")


def test_ledger_entries_cannot_be_changed_or_deleted(statement):
    """EXP-03: entries are immutable; a correction is a new entry."""
    entry = LedgerEntry.objects.filter(statement=statement).first()
    original = entry.amount
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1.00"))
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.amount == original


def test_returns_claw_back_the_fee_paid_for_them_against_the_next_statement(
    statement, rep, finance, products, time_machine
):
    """EXP-12: 3 of 12 modules returned after the statement was signed: ¥108 × 3/12 = ¥27
    clawed back as a negative entry against the next statement; nothing twice."""
    module = products[0]
    row = Purchase.objects.get(customer__name="甲公司", product=module)
    with pytest.raises(DomainError, match="No returns"):
        clawback_for_returns(actor=finance, statement=statement)
    Purchase.objects.filter(pk=row.pk).update(returned_quantity=Decimal("3"), returned_amount=Decimal("300.00"))
    assert [d.due for d in clawbacks_due()] == [Decimal("27.00")]
    with pytest.raises(PermissionDenied):
        clawback_for_returns(actor=rep, statement=statement)
    [entry] = clawback_for_returns(actor=finance, statement=statement)
    assert (entry.kind, entry.amount, entry.statement, entry.month) == (EntryKind.CLAW_BACK, Decimal("-27.00"), None,
                                                                        SEPTEMBER)  # fmt: skip
    assert "2026-10" in entry.note and entry.account.name == "客户关系维护费——进口模块"
    with pytest.raises(DomainError, match="No returns"):
        clawback_for_returns(actor=finance, statement=statement)
    # The October statement exists by the time two more come back.
    time_machine.move_to("2026-11-05 10:00 +0800")
    october = statement_create(actor=rep, month=OCTOBER)
    Purchase.objects.filter(pk=row.pk).update(returned_quantity=Decimal("5"), returned_amount=Decimal("500.00"))
    [second] = clawback_for_returns(actor=finance, statement=statement)
    assert (second.amount, second.statement) == (Decimal("-18.00"), october)
    assert sum(e.amount for e in LedgerEntry.objects.filter(kind=EntryKind.CLAW_BACK)) == Decimal("-45.00")


def test_the_full_month_cycle_from_purchases_to_write_off(
    rep, clerk, manager, finance, products, client, time_machine, django_capture_on_commit_callbacks
):
    """EXP-03 … EXP-12: purchases → statement → submit → three signatures → sheets → advance →
    payout → spot-check → confirmations → sheets to finance → write-off → advances settled."""
    module, sensor = products
    first, second, third = (fee_customer(rep, name=n) for n in ("甲公司", "乙公司", "丙公司"))
    for customer in (first, second, third):
        purchase(customer, module)  # 12 units → ¥108 each
    purchase(first, sensor, quantity="5", amount="500.00", collected="250.00")  # half collected → ¥17.50
    statement = statement_submit(actor=rep, statement=statement_create(actor=rep, month=SEPTEMBER))
    for signer in (clerk, manager, finance):
        statement = statement_sign(actor=signer, statement=statement)
    assert statement.status == StatementStatus.VALID
    accrued = sum(e.amount for e in LedgerEntry.objects.filter(kind=EntryKind.ACCRUAL))
    assert accrued == Decimal("341.50")

    sheets = signoff_sheets_create(actor=rep, statement=statement)
    assert len(sheets) == 9 and sum(s.amount for s in sheets) == Decimal("341.50")

    time_machine.move_to("2026-10-19 09:00 +0800")  # the 9th working day: advances open
    advance = advance_pay(actor=finance, advance=advance_request(actor=rep, statement=statement, amount="300"))
    for sheet in _sheets(statement):
        signoff_payout(actor=rep, sheet=sheet)
    spot_check_record(actor=manager, statement=statement, customers=[first, second, third], all_confirmed=True)

    by_link, *on_paper = _sheets(statement)
    token = signoff_link_issue(actor=rep, sheet=by_link).rstrip("/").rsplit("/", 1)[-1]
    with django_capture_on_commit_callbacks(execute=True):
        signoff_confirm_by_link(token=token)
    for sheet in on_paper:
        signoff_paper_upload(actor=rep, sheet=sheet, file=SimpleUploadedFile("s.pdf", PDF))
    signoff_spot_check(actor=manager, sheet=on_paper[0])
    assert signoff_submit_to_finance(actor=rep, statement=statement) == 9

    for sheet in _sheets(statement):
        signoff_write_off(actor=finance, sheet=sheet)
    statement.refresh_from_db()
    advance.refresh_from_db()
    assert statement.written_off_at and advance.status == AdvanceStatus.SETTLED
    assert SignoffSheet.objects.filter(method=SignoffMethod.LINK).count() == 1
    totals = {
        kind: sum(e.amount for e in LedgerEntry.objects.filter(kind=kind))
        for kind in (EntryKind.ACCRUAL, EntryKind.ADVANCE, EntryKind.PAYOUT, EntryKind.WRITE_OFF)
    }
    assert totals == {EntryKind.ACCRUAL: Decimal("341.50"), EntryKind.ADVANCE: Decimal("300.00"),
                      EntryKind.PAYOUT: Decimal("341.50"), EntryKind.WRITE_OFF: Decimal("341.50")}  # fmt: skip
    assert Advance.objects.filter(status=AdvanceStatus.PAID).count() == 0
