"""The month's rapport fees, in Chinese, every step reached by clicking (EXP-06 … EXP-11): the
rep prepares and submits October's statement on the 2nd working day of November; the clerk, the
manager and finance sign it from their queue, each confirming a question that names the month,
the rep and the total; from the 9th working day the rep draws an advance, draws up the sign-off
sheets, records the payouts in one action, uploads the signed sheets and hands them to finance;
finance pays the advance, writes the sheets off and files the signed original; the clerk files
the copy. The clock is moved between the steps (a
ticking clock, shared with the live server's thread). Screenshots:
test-results/journeys/fees-rep/, fees-clerk/, fees-manager/, fees-finance/."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from crm_project.accounts.roles import Role
from crm_project.workdays.calendar import add_working_days, nth_working_day
from expenses.models import Advance, AdvanceStatus, SignoffSheet, Statement, StatementStatus
from expenses.services.signoff import payout_deadlines
from tests.browser.journey import Journey, exactly, zh
from tests.conftest import give_rapport_fee_budgets
from tests.expenses.factories import ProductFactory, fee_customer, fee_standard, purchase
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = datetime.date(2026, 10, 1)
# A 1×1 PNG: the scan of a signed paper sheet (the upload checks the file's signature).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)


def label(choice) -> str:
    """A status as the Chinese interface shows it."""
    with translation.override("zh-hans"):
        return str(choice.label)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def month(db):
    """Sales with its rep, clerk and manager, and finance; one customer of the rep with three
    fee-receiving contacts (50/30/20 %) that bought 12 imported modules in October (¥108 at ¥9,
    EXP-02), all collected. Everyone starts with English on the profile."""
    sales = DepartmentFactory(code="sales", name_zh="销售部", name_en="Sales")
    give_rapport_fee_budgets(sales)  # payouts are spend of the Sales rapport-fee budget (EXP-16)
    money = DepartmentFactory(code="finance", name_zh="财务部", name_en="Finance")
    people = {
        "rep": UserFactory(username="rep1", last_name="李", first_name="明", department=sales, roles=[Role.SALES_REP]),
        "clerk": UserFactory(username="clerk1", last_name="王", first_name="芳", department=sales,
                             roles=[Role.SALES_CLERK]),
        "manager": UserFactory(username="manager1", last_name="张", first_name="伟", department=sales,
                               roles=[Role.SALES_MANAGER]),
        "finance": UserFactory(username="finance1", last_name="陈", first_name="静", department=money,
                               roles=[Role.FINANCE]),
    }  # fmt: skip
    product = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(product, by=people["finance"])
    customer = fee_customer(people["rep"], name="宁波精密仪器有限公司")
    purchase(customer, product, month=OCTOBER, quantity="12", amount="1200.00")
    people["customer"] = customer
    return people


def sign_from_the_queue(live_server, chromium, username: str, *, role: str) -> None:
    """A signer opens "Waiting for my signature" from the fee menu, the statement from its row,
    and signs it, accepting the one confirmation (EXP-07)."""
    from playwright.sync_api import expect

    with Journey.start(chromium, live_server.url, username, name=f"fees {role}") as journey:
        page = journey.page
        journey.switch_to_chinese()
        journey.nav("Waiting for my signature", parent="Rapport fees")
        row = page.locator("#queue-table .queue-row")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("李明")
        expect(row.locator(".queue-total")).to_have_text("¥108.00")
        expect(row.locator(".queue-customers")).to_have_text("1")
        expect(row.locator(".on-time-flag")).to_be_visible()
        journey.shot("queue")
        journey.click_text("2026-10", within="#queue-table")
        expect(page.locator("#total-payable")).to_have_text("108.00")
        journey.shot("statement to sign")

        question = journey.confirm("#sign-statement")
        assert "2026-10" in question and "李明" in question and "108.00" in question, question
        expect(page.locator("main")).to_contain_text(zh("Signed."))
        expect(page.locator("#sign-statement")).to_have_count(0)
        journey.shot("signed")


def test_the_months_fees_from_the_statement_to_the_write_off(live_server, chromium, month, time_machine):
    """EXP-06, EXP-07, EXP-08, EXP-10, EXP-11: prepare and submit on time, three signatures
    from the queues, the next steps after a valid statement, an advance from the 9th working
    day, sign-off sheets, payouts in bulk, signed scans, sheets handed to finance, write-off,
    the original and the copy filed."""
    from playwright.sync_api import expect

    rep = month["rep"]
    submit_day = nth_working_day(2026, 11, 2)  # due by the end of the 3rd (EXP-06)
    advance_day = nth_working_day(2026, 11, 9)  # EXP-10
    time_machine.move_to(at(submit_day), tick=True)

    # --- the rep prepares and submits October's statement -----------------------------------
    with Journey.start(chromium, live_server.url, "rep1", name="fees rep") as journey:
        page = journey.page
        journey.switch_to_chinese()
        journey.nav("Rapport fees", parent="Rapport fees")
        expect(page.locator("#current-statement")).to_contain_text("2026-10")
        journey.shot("fee home")
        with page.expect_navigation():
            page.locator("#create-statement").click()
        statement = Statement.objects.get(rep=rep, month=OCTOBER)
        block = page.locator("#lines-table .customer-block")
        expect(block).to_have_count(1)
        expect(block).to_contain_text("宁波精密仪器有限公司")
        expect(block.locator(".allocation")).to_have_count(3)  # EXP-05: 54.00 / 32.40 / 21.60
        expect(block.locator(".allocation").first).to_contain_text("¥54.00")
        expect(page.locator("#total-payable")).to_have_text("108.00")
        journey.shot("statement created")
        journey.press("Submit", within="#statement-actions")
        expect(page.locator("#statement-header .statement-status")).to_have_text(label(StatementStatus.SUBMITTED))
        expect(page.locator("#deadline .deadline-on-time")).to_be_visible()
        journey.shot("submitted on time")

    # --- three signatures, each from the signer's queue ---------------------------------------
    time_machine.move_to(at(add_working_days(submit_day, 1)), tick=True)
    sign_from_the_queue(live_server, chromium, "clerk1", role="clerk")
    sign_from_the_queue(live_server, chromium, "manager1", role="manager")
    time_machine.move_to(at(add_working_days(submit_day, 2)), tick=True)
    sign_from_the_queue(live_server, chromium, "finance1", role="finance")
    statement.refresh_from_db()
    assert statement.status == StatementStatus.VALID

    # --- from the 9th working day: advance, sheets, payouts, scans, hand-in ----------------------
    time_machine.move_to(at(advance_day), tick=True)
    with Journey.start(chromium, live_server.url, "rep1", name="fees rep payouts") as journey:
        page = journey.page
        journey.switch_to_chinese()  # already Chinese: kept on the profile
        journey.nav("Monthly statements", parent="Rapport fees")
        journey.click_text("2026-10")
        steps = page.locator("#next-steps .journey-step")
        expect(steps).to_have_count(7)
        expect(page.locator('#next-steps [data-step="sheets"] .step-progress')).to_have_text(
            zh("%(made)d of %(total)d made") % {"made": 0, "total": 3}
        )
        due = payout_deadlines(OCTOBER)  # EXP-11: by the 18th, the 20th and the 25th
        for key, step in (("payout", "payout"), ("handed", "sheets"), ("writeoff", "writeoff")):
            moment = timezone.localtime(due.moment(step))
            expect(page.locator(f'#next-steps [data-step="{key}"]')).to_contain_text(f"{moment:%Y-%m-%d %H:%M}")
        journey.shot("next steps")

        # EXP-10: the advance, from the step's link; the form comes with the statement chosen.
        with page.expect_navigation():
            page.locator('#next-steps [data-step-link="advance"]').click()
        expect(page.locator("#advance-statements")).to_contain_text("2026-10")
        page.get_by_label(re.compile(re.escape(zh("Amount (yuan)")))).fill("50")
        journey.shot("advance form")
        journey.press("Request", within="#advance-form")
        expect(page.locator("#advance-status")).to_have_text(label(AdvanceStatus.REQUESTED))
        journey.shot("advance requested")

        # From the advance to its statement's payouts, then the sheets (EXP-11).
        journey.click_text("2026-10", within="main dl")
        expect(page.locator("#statement-advances")).to_contain_text("¥50.00")
        journey.press("Draw up the sheets")
        sheets = page.locator("#sheet-table tbody tr")
        expect(sheets).to_have_count(3)
        journey.shot("sheets drawn up")

        # One action records every payout: tick all, confirm once.
        page.locator("#select-all-sheets").check()
        expect(page.locator(".sheet-select:checked")).to_have_count(3)
        journey.confirm("#bulk-pay-button")
        expect(page.locator(".alert-success")).to_contain_text("108.00")
        journey.shot("paid out in bulk")

        # Each contact's signed paper sheet, scanned and uploaded (EXP-11).
        for index in range(3):
            row = page.locator("#sheet-table tbody tr", has=page.locator("input[type=file]")).first
            row.locator("input[type=file]").set_input_files(
                {"name": f"签收表-{index + 1}.png", "mimeType": "image/png", "buffer": PNG}
            )
            with page.expect_navigation():
                row.get_by_role("button", name=exactly(zh("Upload"))).click()
        expect(page.locator("#sheet-table input[type=file]")).to_have_count(0)
        journey.shot("signed sheets uploaded")

        journey.press("Hand confirmed sheets to finance")
        expect(page.locator("#submit-sheets")).to_have_count(0)
        journey.shot("handed to finance")

        journey.click_link("Statement", within="nav[aria-label=breadcrumb]")
        for key in ("advance", "sheets", "payout", "handed"):
            expect(page.locator(f'#next-steps [data-step="{key}"] .bi-check-circle-fill')).to_be_visible()
        expect(page.locator('#next-steps [data-step="writeoff"] .bi-check-circle-fill')).to_have_count(0)
        journey.shot("next steps after the hand-in")

    # --- finance pays the advance and writes the sheets off ---------------------------------------
    time_machine.move_to(at(add_working_days(advance_day, 1)), tick=True)
    with Journey.start(chromium, live_server.url, "finance1", name="fees finance write-off") as journey:
        page = journey.page
        journey.switch_to_chinese()
        journey.nav("Finance desk", parent="Rapport fees")
        advances = page.locator("#advances-to-pay tbody tr")
        expect(advances).to_have_count(1)
        expect(advances).to_contain_text("李明")
        journey.shot("finance desk")
        with page.expect_navigation():
            advances.get_by_role("button", name=exactly(zh("Pay"))).click()
        rows = page.locator("#payouts-to-write-off tbody tr")
        expect(rows).to_have_count(3)
        journey.shot("advance paid")
        for _ in range(3):
            with page.expect_navigation():
                rows.first.get_by_role("button", name=exactly(zh("Write off"))).click()
        expect(rows).to_have_count(0)
        journey.shot("written off")

        journey.nav("Monthly statements", parent="Rapport fees")
        journey.click_text("2026-10")
        expect(page.locator('#next-steps [data-step="writeoff"] .bi-check-circle-fill')).to_be_visible()
        journey.shot("statement written off")
        journey.press("Record: original filed", within="#next-steps")  # EXP-08, an act of finance
        expect(page.locator('#next-steps [data-step="original"] .step-progress')).to_contain_text("陈静")
        journey.shot("original filed")

    # --- the clerk files the sales copy (EXP-08) --------------------------------------------------
    with Journey.start(chromium, live_server.url, "clerk1", name="fees clerk copy") as journey:
        page = journey.page
        journey.switch_to_chinese()
        journey.nav("Monthly statements", parent="Rapport fees")
        journey.click_text("2026-10")
        journey.press("Record: copy filed", within="#next-steps")
        expect(page.locator("#next-steps .journey-step .bi-check-circle-fill")).to_have_count(7)
        journey.shot("every step done")

    statement.refresh_from_db()
    assert statement.written_off_at is not None
    sheets = list(SignoffSheet.objects.filter(statement=statement).order_by("amount"))
    assert [sheet.amount for sheet in sheets] == [Decimal("21.60"), Decimal("32.40"), Decimal("54.00")]
    assert all(sheet.paid_at and sheet.confirmed_at and sheet.submitted_to_finance_at for sheet in sheets)
    assert [sheet.written_off_amount for sheet in sheets] == [sheet.amount for sheet in sheets]
    advance = Advance.objects.get(statement=statement)
    assert (advance.amount, advance.status) == (Decimal("50.00"), AdvanceStatus.SETTLED)
    assert statement.archived_original_by == month["finance"] and statement.archived_copy_by == month["clerk"]
