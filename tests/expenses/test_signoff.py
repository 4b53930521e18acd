"""Sign-off sheets 附表4 (EXP-11): one per contact, the one-time personal link, the signed paper
sheet, the manager's spot-check, handing in to finance, deadlines, pages and API."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from crm_project.core.errors import DomainError, PermissionDenied
from expenses.models import (
    EntryKind,
    Investigation,
    LedgerEntry,
    SignoffMethod,
    SignoffSheet,
    StatementStatus,
)
from expenses.services.signoff import (
    open_payout_work,
    payout_deadlines,
    signoff_link_issue,
    signoff_paper_upload,
    signoff_payout,
    signoff_sheets_create,
    signoff_spot_check,
    signoff_submit_to_finance,
)
from expenses.services.statements import statement_create
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase, valid_statement

pytestmark = pytest.mark.django_db

AUGUST = datetime.date(2026, 8, 1)
PDF = b"%PDF-1.4\n%signed sheet\n"


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
    """Customer A: 12 modules (¥108) and 5 sensors (¥35); customer B: 12 modules (¥108); each
    with contacts at 50/30/20 %."""
    module, sensor = products
    first, second = fee_customer(rep, name="甲公司"), fee_customer(rep, name="乙公司")
    purchase(first, module)
    purchase(first, sensor, quantity="5", amount="500.00")
    purchase(second, module)
    return valid_statement(rep, clerk=clerk, manager=manager, finance=finance, customers=[first, second],
                           product=module)  # fmt: skip


def _sheets(statement):
    return list(
        SignoffSheet.objects.filter(statement=statement).select_related("contact__customer").order_by("-amount", "pk")
    )


def _paid(rep, statement):
    signoff_sheets_create(actor=rep, statement=statement)
    return [signoff_payout(actor=rep, sheet=sheet) for sheet in _sheets(statement)]


def _token(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_one_sheet_per_contact_with_their_own_total(statement, rep):
    """EXP-11, EXP-05: each contact's own total over the statement's lines."""
    sheets = signoff_sheets_create(actor=rep, statement=statement)
    assert len(sheets) == 6
    amounts = sorted((s.contact.customer.name, s.amount) for s in _sheets(statement))
    assert amounts == [
        ("乙公司", Decimal("21.60")), ("乙公司", Decimal("32.40")), ("乙公司", Decimal("54.00")),
        ("甲公司", Decimal("28.60")), ("甲公司", Decimal("42.90")), ("甲公司", Decimal("71.50")),
    ]  # fmt: skip
    assert sum(s.amount for s in sheets) == Decimal("251.00")
    assert all(s.payer == rep for s in sheets)
    with pytest.raises(DomainError, match="already has a sheet"):
        signoff_sheets_create(actor=rep, statement=statement)


def test_an_investigated_customer_gets_no_sheet_until_cleared(statement, rep, clerk):
    """EXP-11, EXP-15: an open investigation blocks payout for that customer."""
    second = statement.lines.get(customer__name="乙公司").customer
    investigation = Investigation.objects.create(customer=second, opened_by=clerk, reason="进销存不清")
    signoff_sheets_create(actor=rep, statement=statement)
    assert {s.contact.customer.name for s in _sheets(statement)} == {"甲公司"}
    Investigation.objects.filter(pk=investigation.pk).update(status="clear")
    assert len(signoff_sheets_create(actor=rep, statement=statement)) == 3


def test_sheets_need_a_valid_statement_and_its_rep(rep, other_rep, manager, products):
    """EXP-07, EXP-11"""
    purchase(fee_customer(rep), products[0])
    draft = statement_create(actor=rep, month=SEPTEMBER)
    with pytest.raises(DomainError, match="signed three times"):
        signoff_sheets_create(actor=rep, statement=draft)
    for person in (other_rep, manager):
        with pytest.raises(PermissionDenied):
            signoff_sheets_create(actor=person, statement=draft)


def test_a_payout_is_posted_per_product_account(statement, rep, clerk):
    """EXP-11, EXP-03: the payout, split by the allocation lines' products."""
    signoff_sheets_create(actor=rep, statement=statement)
    biggest = _sheets(statement)[0]
    assert biggest.amount == Decimal("71.50")
    signoff_payout(actor=rep, sheet=biggest)
    entries = {e.account.name: e.amount for e in LedgerEntry.objects.filter(kind=EntryKind.PAYOUT)}
    assert entries == {"客户关系维护费——进口模块": Decimal("54.00"), "客户关系维护费——传感器": Decimal("17.50")}
    with pytest.raises(DomainError, match="already marked paid"):
        signoff_payout(actor=rep, sheet=biggest)
    other = _sheets(statement)[1]
    Investigation.objects.create(customer=other.contact.customer, opened_by=clerk, reason="x")
    with pytest.raises(DomainError, match="under investigation"):
        signoff_payout(actor=rep, sheet=other)


def test_the_personal_link_shows_only_the_own_amount_and_works_once(statement, rep, client):
    """EXP-11, CUS-07: the contact sees their own name and amount, nobody else's, and confirms once."""
    sheets = _paid(rep, statement)
    sheet, others = sheets[0], sheets[1:]
    url = signoff_link_issue(actor=rep, sheet=sheet)
    token = _token(url)
    assert url.endswith(f"/fees/signoff/{token}/")
    sheet.refresh_from_db()
    assert sheet.token_hash and token not in sheet.token_hash and len(sheet.token_hash) == 64
    page = client.get(f"/fees/signoff/{token}/")
    html = page.content.decode()
    assert page.status_code == 200 and sheet.contact.name in html and "71.50" in html
    for other in others:
        assert other.contact.name not in html and str(other.amount) not in html
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    confirmed = client.post(f"/fees/signoff/{token}/")
    assert 'id="confirmed"' in confirmed.content.decode()
    sheet.refresh_from_db()
    assert sheet.method == SignoffMethod.LINK and sheet.confirmed_at
    first_confirmation = sheet.confirmed_at
    again = client.post(f"/fees/signoff/{token}/")
    assert 'id="already-confirmed"' in again.content.decode()
    sheet.refresh_from_db()
    assert sheet.confirmed_at == first_confirmation
    with pytest.raises(DomainError, match="already confirmed"):
        signoff_link_issue(actor=rep, sheet=sheet)


def test_an_expired_unknown_or_replaced_link_is_a_clear_404(statement, rep, client, time_machine):
    """EXP-11: the link expires (setting, 14 days); a new link replaces the old one."""
    sheet = _paid(rep, statement)[0]
    old = _token(signoff_link_issue(actor=rep, sheet=sheet))
    new = _token(signoff_link_issue(actor=rep, sheet=sheet))
    gone = client.get(f"/fees/signoff/{old}/")
    assert gone.status_code == 404 and "not valid" in gone.content.decode()
    assert client.get("/fees/signoff/not-a-real-token/").status_code == 404
    time_machine.move_to("2026-10-24 10:00 +0800")
    expired = client.post(f"/fees/signoff/{new}/")
    assert expired.status_code == 404 and "expired" in expired.content.decode()
    sheet.refresh_from_db()
    assert sheet.confirmed_at is None


def test_a_link_or_paper_only_after_the_payout(statement, rep, other_rep):
    """EXP-11: the contact confirms money they received; only the payer acts on the sheet."""
    signoff_sheets_create(actor=rep, statement=statement)
    sheet = _sheets(statement)[0]
    with pytest.raises(DomainError, match="paid first"):
        signoff_link_issue(actor=rep, sheet=sheet)
    with pytest.raises(PermissionDenied):
        signoff_payout(actor=other_rep, sheet=sheet)


def test_the_signed_paper_sheet_confirms(statement, rep, client_for):
    """EXP-11: PDF/JPG/PNG, size-limited, checked by content."""
    sheet = _paid(rep, statement)[0]
    for upload, message in [
        (SimpleUploadedFile("sheet.txt", b"hello"), "PDF, JPG or PNG"),
        (SimpleUploadedFile("sheet.pdf", b"MZ\x90\x00 not a pdf"), "not a readable PDF"),
        (SimpleUploadedFile("sheet.png", b"\x89PNG" + b"0" * (10 * 1024 * 1024)), "too large"),
    ]:
        with pytest.raises(DomainError, match=message):
            signoff_paper_upload(actor=rep, sheet=sheet, file=upload)
    sheet.refresh_from_db()
    assert sheet.confirmed_at is None
    signoff_paper_upload(actor=rep, sheet=sheet, file=SimpleUploadedFile("签收表.pdf", PDF))
    sheet.refresh_from_db()
    assert sheet.method == SignoffMethod.PAPER and sheet.confirmed_at and sheet.paper_scan
    response = client_for(rep).get(f"/fees/sheets/{sheet.pk}/paper/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_unconfirmed_sheets_cannot_be_handed_to_finance(statement, rep, other_rep):
    """EXP-11: only confirmed sheets go to finance, by the rep."""
    sheets = _paid(rep, statement)
    with pytest.raises(DomainError, match="No confirmed sheet"):
        signoff_submit_to_finance(actor=rep, statement=statement)
    with pytest.raises(DomainError, match="unconfirmed"):
        signoff_submit_to_finance(actor=rep, statement=statement, sheets=[sheets[1]])
    signoff_paper_upload(actor=rep, sheet=sheets[0], file=SimpleUploadedFile("a.pdf", PDF))
    with pytest.raises(PermissionDenied):
        signoff_submit_to_finance(actor=other_rep, statement=statement)
    assert signoff_submit_to_finance(actor=rep, statement=statement) == 1
    handed_in = SignoffSheet.objects.filter(submitted_to_finance_at__isnull=False)
    assert list(handed_in) == [sheets[0]]


def test_the_manager_spot_checks_confirmed_sheets(statement, rep, manager, clerk):
    """EXP-11"""
    sheets = _paid(rep, statement)
    with pytest.raises(DomainError, match="confirmed"):
        signoff_spot_check(actor=manager, sheet=sheets[0])
    signoff_paper_upload(actor=rep, sheet=sheets[0], file=SimpleUploadedFile("a.pdf", PDF))
    for person in (rep, clerk):
        with pytest.raises(PermissionDenied):
            signoff_spot_check(actor=person, sheet=sheets[0])
    sheet = signoff_spot_check(actor=manager, sheet=sheets[0])
    assert sheet.spot_checked_by == manager and sheet.spot_checked_at
    with pytest.raises(DomainError, match="already"):
        signoff_spot_check(actor=manager, sheet=sheets[0])


def test_the_deadlines_of_the_september_2026_statement():
    """EXP-11, CAL-02: payouts by the 18th, sheets by the 20th, write-off by the 25th of
    October 2026; the 18th and the 25th are Sundays, so the last working day before them."""
    deadlines = payout_deadlines(SEPTEMBER)
    assert (deadlines.payout, deadlines.sheets, deadlines.writeoff) == (
        datetime.date(2026, 10, 16), datetime.date(2026, 10, 20), datetime.date(2026, 10, 23),
    )  # fmt: skip
    assert timezone.localtime(deadlines.moment("sheets")).isoformat() == "2026-10-20T18:00:00+08:00"


def test_open_payout_work_says_what_is_still_open_for_whom(statement, rep, time_machine):
    """EXP-11, JOB-03: the selector behind the payout reminders."""
    work = {(w.step, w.rep_id): w for w in open_payout_work(datetime.date(2026, 10, 12))}
    assert set(work) == {("payout", rep.pk), ("sheets", rep.pk)}
    assert work["payout", rep.pk].open_count == 0 and not work["payout", rep.pk].overdue
    sheets = _paid(rep, statement)
    for sheet in sheets:
        signoff_paper_upload(actor=rep, sheet=sheet, file=SimpleUploadedFile("a.pdf", PDF))
    signoff_submit_to_finance(actor=rep, statement=statement)
    work = open_payout_work(datetime.date(2026, 10, 24))
    assert [(w.step, w.open_count, w.due, w.overdue) for w in work] == [
        ("writeoff", 6, datetime.date(2026, 10, 23), True)
    ]
    assert open_payout_work(datetime.date(2026, 9, 30)) == []  # the month has not ended


# --- pages, Excel and API ---------------------------------------------------------------------


def test_the_payout_page_lets_each_role_do_its_part(statement, rep, manager, finance, client_for):
    """EXP-11"""
    sheets = _paid(rep, statement)
    page = client_for(rep).get(f"/fees/payouts/{statement.pk}/").content.decode()
    assert 'id="sheet-table"' in page and "2026-10-16 18:00" in page and "Personal link" in page
    assert 'id="create-sheets"' not in page  # every contact has a sheet
    assert client_for(rep).get("/fees/signoff/")["Location"] == "/fees/sheets/"
    response = client_for(rep).post(f"/fees/sheets/{sheets[0].pk}/link/")
    assert response.status_code == 200 and "/fees/signoff/" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    upload = client_for(rep).post(f"/fees/sheets/{sheets[1].pk}/upload/", {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert upload.status_code == 302
    manager_page = client_for(manager).get(f"/fees/payouts/{statement.pk}/").content.decode()
    assert "Spot-checked" in manager_page and "Personal link" not in manager_page
    client_for(manager).post(f"/fees/sheets/{sheets[1].pk}/spot-check/")
    client_for(rep).post(f"/fees/payouts/{statement.pk}/submit/")
    finance_page = client_for(finance).get(f"/fees/payouts/{statement.pk}/").content.decode()
    assert "Write off" in finance_page
    sheets[1].refresh_from_db()
    assert sheets[1].spot_checked_by == manager and sheets[1].submitted_to_finance_at


def test_form4_has_one_worksheet_per_contact(statement, rep, client_for):
    """EXP-11, DSH-03, CUS-07: each contact on their own sheet; the per-sheet download holds
    that contact only."""
    sheets = _paid(rep, statement)
    signoff_paper_upload(actor=rep, sheet=sheets[0], file=SimpleUploadedFile("a.pdf", PDF))
    client = client_for(rep)
    response = client.get(f"/fees/payouts/{statement.pk}/form4.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(workbook.worksheets) == 6
    one = client.get(f"/fees/sheets/{sheets[0].pk}/form4.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(one.streaming_content)))
    assert len(workbook.worksheets) == 1
    values = [c for row in workbook.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "客户关系维护费用签收表" in values and "2026年9月" in values and sheets[0].contact.name in values
    assert Decimal("71.50") in values and "纸质签收表(已上传)" in values
    assert not any(other.contact.name in values for other in sheets[1:])


def test_the_api_lists_sheets_and_takes_the_actions(statement, rep, manager, finance, client_for):
    """EXP-11: /api/v1/signoff-sheets/ with pay/, link/, paper/, submit/, spot-check/, write-off/."""
    signoff_sheets_create(actor=rep, statement=statement)
    sheet = _sheets(statement)[0]
    client = client_for(rep)
    listing = client.get("/api/v1/signoff-sheets/").json()
    assert listing["count"] == 6
    assert client.post(f"/api/v1/signoff-sheets/{sheet.pk}/link/").status_code == 400  # not paid yet
    body = client.post(f"/api/v1/signoff-sheets/{sheet.pk}/pay/").json()
    assert body["paid_at"] and body["amount"] == "71.50" and body["month"] == "2026-09"
    assert "/fees/signoff/" in client.post(f"/api/v1/signoff-sheets/{sheet.pk}/link/").json()["link"]
    response = client.post(f"/api/v1/signoff-sheets/{sheet.pk}/submit/")
    assert response.status_code == 400 and "unconfirmed" in str(response.json())
    upload = client.post(f"/api/v1/signoff-sheets/{sheet.pk}/paper/", {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert upload.status_code == 200 and upload.json()["method"] == "paper"
    assert client.post(f"/api/v1/signoff-sheets/{sheet.pk}/submit/").json()["submitted_to_finance_at"]
    assert client_for(manager).post(f"/api/v1/signoff-sheets/{sheet.pk}/spot-check/").status_code == 200
    assert client.post(f"/api/v1/signoff-sheets/{sheet.pk}/write-off/").status_code == 403
    bad = client_for(finance).post(f"/api/v1/signoff-sheets/{sheet.pk}/write-off/", {"amount": "x"},
                                   content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    done = client_for(finance).post(f"/api/v1/signoff-sheets/{sheet.pk}/write-off/", {"amount": "70.00"},
                                    content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["written_off_amount"] == "70.00"


def test_outsiders_get_404_on_every_page_and_endpoint(statement, rep, other_rep, outsider, gm, client_for):
    """EXP-13, ORG-02"""
    sheet = _paid(rep, statement)[0]
    signoff_paper_upload(actor=rep, sheet=sheet, file=SimpleUploadedFile("a.pdf", PDF))
    for person in (other_rep, outsider, gm):
        client = client_for(person)
        for url in (f"/fees/payouts/{statement.pk}/", f"/fees/payouts/{statement.pk}/form4.xlsx",
                    f"/fees/sheets/{sheet.pk}/form4.xlsx", f"/fees/sheets/{sheet.pk}/paper/",
                    f"/api/v1/signoff-sheets/{sheet.pk}/"):  # fmt: skip
            assert client.get(url).status_code == 404, (person, url)
        for url in (f"/fees/payouts/{statement.pk}/sheets/", f"/fees/payouts/{statement.pk}/submit/",
                    f"/fees/sheets/{sheet.pk}/pay/", f"/fees/sheets/{sheet.pk}/link/",
                    f"/fees/sheets/{sheet.pk}/write-off/", f"/api/v1/signoff-sheets/{sheet.pk}/pay/",
                    f"/api/v1/signoff-sheets/{sheet.pk}/write-off/"):  # fmt: skip
            assert client.post(url).status_code == 404, (person, url)
        assert client.get("/api/v1/signoff-sheets/").json()["count"] == 0
    for person in (outsider, gm):
        assert client_for(person).get("/fees/sheets/").status_code == 404
    assert sheet.contact.name not in client_for(other_rep).get("/fees/sheets/").content.decode()


def test_the_payout_page_and_sheet_list_run_constant_queries(rep, clerk, manager, finance, products, client_for):
    """EXP-11: a fixed number of queries whatever the number of sheets."""
    module = products[0]
    few = fee_customer(rep, shares=["50.00", "50.00"])
    purchase(few, module)
    small = valid_statement(rep, clerk=clerk, manager=manager, finance=finance, customers=[few], product=module)
    many = [fee_customer(rep) for _ in range(8)]
    for customer in many:
        purchase(customer, module, month=AUGUST)
    large = valid_statement(rep, clerk=clerk, manager=manager, finance=finance, customers=many, product=module,
                            month=AUGUST)  # fmt: skip
    assert large.status == small.status == StatementStatus.VALID
    client = client_for(rep)
    signoff_sheets_create(actor=rep, statement=small)
    client.get(f"/fees/payouts/{small.pk}/")
    with CaptureQueriesContext(connection) as two:
        client.get(f"/fees/payouts/{small.pk}/")
    with CaptureQueriesContext(connection) as two_listed:
        client.get("/fees/sheets/")
    signoff_sheets_create(actor=rep, statement=large)
    with CaptureQueriesContext(connection) as twenty_four:
        client.get(f"/fees/payouts/{large.pk}/")
    with CaptureQueriesContext(connection) as twenty_six_listed:
        client.get("/fees/sheets/")
    assert len(two) == len(twenty_four)
    assert len(two_listed) == len(twenty_six_listed)


@pytest.mark.no_fee_budget
def test_a_payout_is_spend_of_the_sales_rapport_fee_budget(statement, rep, sales):
    """EXP-16, EXP-03: from the payout on, the fees count against Sales' rapport-fee budget; a payout the budget
    does not cover is refused with what remains, and the sheet stays unpaid."""
    from expenses.models import BudgetEntry
    from expenses.services.budgets import figures_of
    from tests.expenses.budgets import approved_budget

    budget = approved_budget(sales, code="rapport_fees", amount="100.00", year=2026)
    signoff_sheets_create(actor=rep, statement=statement)
    biggest, second = _sheets(statement)[:2]
    signoff_payout(actor=rep, sheet=biggest)
    assert figures_of(budget).spent == Decimal("71.50")
    assert BudgetEntry.objects.filter(person=rep, ledger_entry__kind=EntryKind.PAYOUT).count() == 2
    with pytest.raises(DomainError, match=r"¥28\.50 remains"):
        signoff_payout(actor=rep, sheet=second)
    second.refresh_from_db()
    assert second.paid_at is None
    assert figures_of(budget).spent == Decimal("71.50")
