"""The rapport fees on the dashboard (DSH-01): the `fees` block — payable fees by month, product
and rep against the rapport-fee budget — and the `statement_review` block — the statements
filed in the period by stage and late against the 3rd and 8th working day — each figure
against data built for it, the scope of every role (EXP-13, ORG-02), the previous period, the
links, the Excel download and a constant number of queries.

The calendar is the real one of 2026 (CAL-01): October's first working days come after the
National Day week (1–7 October off) — Thursday 8, Friday 9, Saturday 10 (a make-up working day,
调休), Monday 12 … Friday 16 — so September's statements are due by the end of Saturday
10 October (the 3rd working day) and signed by the end of Friday 16 October (the 8th)."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from crm_project.accounts.roles import Role
from crm_project.dashboard.blocks import Scope, block_for
from crm_project.dashboard.computing import compute
from crm_project.dashboard.periods import parse_period
from crm_project.workdays.calendar import add_months
from expenses.dashboard.review import review_deadlines
from expenses.models import (
    BudgetAdjustment,
    BudgetEntryKind,
    BudgetStatus,
    EntryKind,
    LedgerAccount,
    LedgerEntry,
    Statement,
    StatementLine,
    StatementStatus,
)
from expenses.selectors_queues import month_roster
from expenses.services.budgets import Posting, post_against_budget
from expenses.services.controls import exception_approve, exception_request
from expenses.services.statements import deadlines_for
from tests.customers.factories import CustomerFactory, ProductFactory
from tests.expenses.budgets import approved_budget, category
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
JULY, AUGUST, SEPTEMBER, OCTOBER = (date(2026, month, 1) for month in (7, 8, 9, 10))
S = StatementStatus


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def statement(rep, month, status, *, submitted=None, valid=None, lines=()):
    """A statement as the services leave it (late = first handed in after the due moment,
    EXP-06), with lines of (product, fee, payable)."""
    due_at, review_due_at = deadlines_for(month)
    submitted_at = at(submitted) if submitted else None
    late = submitted_at is not None and submitted_at > due_at
    row = Statement.objects.create(
        rep=rep, month=month, status=status, due_at=due_at, review_due_at=review_due_at,
        submitted_at=submitted_at, first_submitted_at=submitted_at, late=late,
        late_by=submitted_at - due_at if late else None, valid_at=at(valid) if valid else None,
    )  # fmt: skip
    customer = CustomerFactory(owner=rep) if lines else None
    for product, fee, payable in lines:
        StatementLine.objects.create(
            statement=row, customer=customer, product=product, purchase_month=month, net_quantity=Decimal("10"),
            net_sales=Decimal("1000.00"), collected=Decimal("1000.00"), fee=Decimal(fee), payable=Decimal(payable),
        )  # fmt: skip
    return row


def figures(user, period: str, key: str, department=None) -> dict:
    block = block_for(user, key)
    assert block is not None, f"{user} does not see {key}"
    return block.figures(Scope(user, parse_period(period), department))


def presentation(user, period: str, key: str, department=None):
    return compute(block_for(user, key), Scope(user, parse_period(period), department)).presentation


def numbers(user, period, key, department=None) -> dict:
    return {number.key: number for number in presentation(user, period, key, department).numbers}


def api(client, period: str) -> dict:
    answer = client.get("/api/v1/dashboard/", {"period": period})
    assert answer.status_code == 200
    return answer.json()


# --- the fees block ------------------------------------------------------------------------------


@pytest.fixture
def fee_data(time_machine, sales, rep, other_rep, finance):
    """September 2026 (and August) statements of Sales and of a second sales department.

    Counted (handed in): rep's valid statement — module ¥100.00 payable (fee ¥120.00), cable
    ¥50.00; other_rep's submitted one — module ¥30.00. Not counted: a draft (¥999) and a
    returned statement (¥888). Far away in Sales 2: a submitted ¥70.00. August: rep's, signed by
    the clerk, ¥40.00. Budgets 2026: Sales ¥120,000 in force (¥10,000 a month), ¥321 spent;
    Sales 2 ¥60,000."""
    time_machine.move_to("2026-10-20 10:00 +0800", tick=False)
    module = ProductFactory(code="P-MOD", name="进口模块")
    cable = ProductFactory(code="P-CABLE", name="线缆")
    drafter = UserFactory(username="drafter", department=sales, roles=[Role.SALES_REP])
    returned = UserFactory(username="returned_rep", department=sales, roles=[Role.SALES_REP])
    far = UserFactory(username="far_rep", department=DepartmentFactory(code="sales2"), roles=[Role.SALES_REP])
    valid = statement(rep, SEPTEMBER, S.VALID, submitted="2026-10-09 10:00", valid="2026-10-15 10:00",
                      lines=[(module, "120.00", "100.00"), (cable, "50.00", "50.00")])  # fmt: skip
    statement(other_rep, SEPTEMBER, S.SUBMITTED, submitted="2026-10-12 09:00", lines=[(module, "30.00", "30.00")])
    statement(drafter, SEPTEMBER, S.DRAFT, lines=[(module, "999.00", "999.00")])
    statement(returned, SEPTEMBER, S.RETURNED, submitted="2026-10-09 11:00", lines=[(cable, "888.00", "888.00")])
    statement(far, SEPTEMBER, S.SUBMITTED, submitted="2026-10-09 12:00", lines=[(cable, "70.00", "70.00")])
    statement(rep, AUGUST, S.CLERK_SIGNED, submitted="2026-09-02 10:00", lines=[(module, "40.00", "40.00")])
    line = approved_budget(sales, code="rapport_fees", amount="120000.00")
    approved_budget(far.department, code="rapport_fees", amount="60000.00")
    post_against_budget(department=sales, category=category("rapport_fees"), year=2026, day=date(2026, 10, 16),
                        postings=[Posting(BudgetEntryKind.RAPPORT_FEE, Decimal("321.00"))], person=rep,
                        posted_by=finance)  # fmt: skip
    account = LedgerAccount.objects.create(product=module, name="客户关系维护费——进口模块")
    LedgerEntry.objects.create(account=account, kind=EntryKind.ACCRUAL, amount=Decimal("100.00"), month=SEPTEMBER,
                               rep=rep, statement=valid, posted_by=finance)  # fmt: skip
    return {"module": module, "cable": cable, "far": far, "budget": line, "account": account, "valid": valid}


@pytest.mark.no_fee_budget
def test_fees_of_the_month_by_product_and_rep_against_the_budget(fee_data, clerk, rep, other_rep):
    """DSH-01, EXP-04, EXP-16: the payable fees of the statements handed in for September (a draft
    and a returned one do not count), by product and rep; the budget in force, spent and
    remaining, and the month's share of it (¥120,000 ÷ 12)."""
    body = figures(clerk, "2026-09", "fees")
    assert body["payable"] == "180.00" and body["valid"] == "150.00" and body["statements"] == 2
    assert body["statuses"] == ["submitted", "clerk_signed", "manager_signed", "valid"]
    assert [(row["code"], row["fee"], row["payable"]) for row in body["by_product"]] == [
        ("P-MOD", "150.00", "130.00"),
        ("P-CABLE", "50.00", "50.00"),
    ]
    assert [(row["rep_id"], row["payable"], row["statements"]) for row in body["by_rep"]] == [
        (rep.pk, "150.00", 1),
        (other_rep.pk, "30.00", 1),
    ]
    assert body["other_products"] == body["other_reps"] == "0.00"
    assert body["by_month"] == [
        {"month": "2026-09", "statements": 2, "payable": "180.00", "valid": "150.00", "budget_share": "10000.00"}
    ]
    assert (body["budget_share"], body["budget_used"]) == ("10000.00", 1.8)  # 180 ÷ 10,000
    budget = body["budget"]
    assert (budget["year"], budget["in_force"], budget["spent"], budget["remaining"]) == (
        2026, "120000.00", "321.00", "119679.00",
    )  # fmt: skip
    assert [line["id"] for line in budget["lines"]] == [fee_data["budget"].pk]
    # EXP-16: an approved adjustment is in force, a draft one is not.
    BudgetAdjustment.objects.create(budget=fee_data["budget"], amount=Decimal("12000.00"), reason="加",
                                    status=BudgetStatus.APPROVED)  # fmt: skip
    BudgetAdjustment.objects.create(budget=fee_data["budget"], amount=Decimal("5000.00"), reason="草稿")
    assert figures(clerk, "2026-09", "fees")["budget_share"] == "11000.00"


@pytest.mark.no_fee_budget
def test_fees_compared_with_the_previous_period_and_over_a_quarter_and_a_year(fee_data, clerk):
    """DSH-01: the previous period's figures beside each number; a quarter sums its months and
    takes three twelfths of the budget, a year all of it."""
    body = figures(clerk, "2026-09", "fees")
    assert body["previous"] == {
        "payable": "40.00", "valid": "0.00", "statements": 1, "budget_share": "10000.00", "budget_used": 0.4,
    }  # fmt: skip
    shown = numbers(clerk, "2026-09", "fees")
    assert (shown["payable"].value, shown["payable"].previous, shown["payable"].change) == ("180.00", "40.00", 140.0)
    quarter = figures(clerk, "2026-Q3", "fees")
    assert (quarter["payable"], quarter["statements"], quarter["budget_share"]) == ("220.00", 3, "30000.00")
    assert [row["month"] for row in quarter["by_month"]] == ["2026-07", "2026-08", "2026-09"]
    assert [row["payable"] for row in quarter["by_month"]] == ["0.00", "40.00", "180.00"]
    assert quarter["previous"]["payable"] == "0.00"
    year = figures(clerk, "2026", "fees")
    assert (year["payable"], year["budget_share"], year["budget_used"]) == ("220.00", "120000.00", 0.2)
    # January's previous period is December of the year before, whose budget is not there.
    assert figures(clerk, "2026-01", "fees")["previous"]["budget_share"] is None


@pytest.mark.no_fee_budget
def test_fees_scope_of_each_role(fee_data, client_for, rep, clerk, manager, director, finance, gm, outsider, sales):
    """EXP-13, ORG-02: a rep their own fees and no budget; the manager and director their
    department's; finance every department's against every budget; management what was paid
    out against the budget lines, never a statement; outsiders nothing."""
    own = api(client_for(rep), "2026-09")["fees"]
    assert (own["payable"], own["budget"], [row["rep_id"] for row in own["by_rep"]]) == ("150.00", None, [rep.pk])
    for person in (manager, director):
        assert api(client_for(person), "2026-09")["fees"]["payable"] == "180.00"
    everything = api(client_for(finance), "2026-09")["fees"]
    assert everything["payable"] == "250.00" and everything["budget"]["in_force"] == "180000.00"
    assert everything["budget_share"] == "15000.00"
    # Management reads no statement (EXP-13), exception or not: the budget side only.
    exception = exception_request(actor=clerk, grantee=gm, rep=rep, reason="审计", valid_until=date(2026, 12, 31))
    exception_approve(actor=manager, exception=exception)
    exception_approve(actor=director, exception=exception)
    top = api(client_for(gm), "2026-10")["fees"]
    assert not {"payable", "valid", "statements", "by_product", "by_rep"} & set(top)
    assert top["budget"]["in_force"] == "180000.00"
    assert (top["spent_in_period"], top["budget_share"], top["budget_used"]) == ("321.00", "15000.00", 2.1)
    assert top["spent_by_month"] == [{"month": "2026-10", "spent": "321.00", "budget_share": "15000.00"}]
    assert top["previous"]["spent_in_period"] == "0.00"
    assert figures(gm, "2026-10", "fees", department=sales)["budget"]["in_force"] == "120000.00"
    far = figures(gm, "2026-10", "fees", department=fee_data["far"].department)
    assert (far["budget"]["in_force"], far["spent_in_period"]) == ("60000.00", "0.00")
    shown = presentation(gm, "2026-10", "fees")
    assert "not the statements, products or reps behind it" in shown.note
    assert [chart.key for chart in shown.charts] == ["fees-by-month"]
    assert shown.charts[0].series[0].data == [321.0]
    assert "fees" not in client_for(outsider).get("/api/v1/dashboard/").json()


@pytest.mark.no_fee_budget
def test_fees_links_open_the_lists_behind_them(fee_data, client_for, clerk, finance, rep, other_rep):
    """DSH-01, DSH-03: each number and bar links to its list, already filtered, answering 200."""
    shown = presentation(clerk, "2026-09", "fees")
    by_key = {number.key: number for number in shown.numbers}
    client = client_for(clerk)
    assert by_key["payable"].url == "/fees/statements/?month=2026-09"
    page = client.get(by_key["payable"].url).content.decode()
    september = Statement.objects.filter(month=SEPTEMBER, rep__department__code="sales")
    assert all(f"/fees/statements/{row.pk}/" in page for row in september)
    august = Statement.objects.get(month=AUGUST)
    assert f"/fees/statements/{august.pk}/" not in page
    assert by_key["valid"].url == "/fees/statements/?month=2026-09&status=valid"
    assert by_key["budget"].url == f"/fees/budgets/{fee_data['budget'].pk}/"
    charts = {chart.key: chart for chart in shown.charts}
    assert charts["fees-by-month"].links == ["/fees/statements/?month=2026-09"]
    assert [series.data for series in charts["fees-by-month"].series] == [[180.0], [10000.0]]
    assert charts["fees-by-product"].categories == ["进口模块", "线缆"]
    account = fee_data["account"].pk
    assert charts["fees-by-product"].links == [f"/fees/ledger/?account={account}&kind=accrual&month=2026-09", ""]
    assert charts["fees-by-rep"].links == [
        f"/fees/statements/?rep={rep.pk}&month=2026-09",
        f"/fees/statements/?rep={other_rep.pk}&month=2026-09",
    ]
    ledger = client.get(charts["fees-by-product"].links[0])
    assert ledger.status_code == 200 and "100.00" in ledger.content.decode()
    mine = client.get(charts["fees-by-rep"].links[1]).content.decode()
    assert f"/fees/statements/{fee_data['valid'].pk}/" not in mine
    for address in [number.url for number in shown.numbers if number.url] + charts["fees-by-rep"].links:
        assert client.get(address).status_code == 200, address
    # Finance sees two budget lines: the year's rapport-fee lines, filtered.
    finance_numbers = numbers(finance, "2026-09", "fees")
    assert finance_numbers["budget"].url == f"/fees/budgets/?year=2026&category={category('rapport_fees').pk}"
    budgets = client_for(finance).get(finance_numbers["budget"].url)
    assert budgets.status_code == 200 and budgets.content.decode().count("data-budget=") == 2
    # A quarter's lists are not narrowed to a month.
    assert numbers(clerk, "2026-Q3", "fees")["payable"].url == "/fees/statements/"


@pytest.mark.no_fee_budget
def test_fees_as_excel(fee_data, client_for, clerk):
    """DSH-01, CUS-07: the block's tables as Excel."""
    answer = client_for(clerk).get("/dashboard/fees/export/", {"period": "2026-09"})
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    sheets = {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] for sheet in book}
    assert sheets["1 Rapport fees by month"][1] == ["2026-09", 2, 180, 150, 10000, 1.8]
    assert sheets["2 Rapport fees by product"][1:] == [["P-MOD", "进口模块", 150, 130, 72.2],
                                                      ["P-CABLE", "线缆", 50, 50, 27.8]]  # fmt: skip
    assert [row[2:] for row in sheets["3 Rapport fees by rep"][1:]] == [[1, 150], [1, 30]]
    assert sheets["4 Rapport-fee budget"][1] == [2026, "Sales", 120000, 321, 119679]


@pytest.mark.no_fee_budget
def test_fees_in_a_constant_number_of_queries(time_machine, sales, clerk, finance):
    """DSH-01: the same queries for 2 statements as for 10, with more products and lines."""
    time_machine.move_to("2026-10-20 10:00 +0800", tick=False)
    approved_budget(sales, code="rapport_fees", amount="120000.00")
    products = [ProductFactory(code=f"P-Q{index}") for index in range(10)]
    reps = [UserFactory(username=f"qrep{index}", department=sales, roles=[Role.SALES_REP]) for index in range(10)]

    def count(user) -> int:
        with CaptureQueriesContext(connection) as queries:
            compute(block_for(user, "fees"), Scope(user, parse_period("2026-09")))
        return len(queries)

    for index in range(2):
        statement(reps[index], SEPTEMBER, S.SUBMITTED, submitted="2026-10-09 10:00",
                  lines=[(products[index], "10.00", "10.00")])  # fmt: skip
    for user in (clerk, finance, reps[0]):
        count(user)  # the user's roles, read once
    few = {user.username: count(user) for user in (clerk, finance, reps[0])}
    for index in range(2, 10):
        statement(reps[index], SEPTEMBER, S.VALID, submitted="2026-10-09 10:00", valid="2026-10-15 10:00",
                  lines=[(product, "10.00", "10.00") for product in products])  # fmt: skip
    assert {user.username: count(user) for user in (clerk, finance, reps[0])} == few
    assert max(few.values()) <= 8


# --- the statement review block ---------------------------------------------------------------------


@pytest.fixture
def review_data(time_machine, sales):
    """Eight reps of Sales and their September 2026 statements, each in one stage (the comments
    give each against the 3rd working day, Saturday 10 October 18:00, and the 8th, Friday 16
    October 18:00); an inactive rep and a rep of Sales 2, neither on the clerk's roster; and one
    August statement, for the previous period. The clock: Monday 19 October 2026, 10:00."""
    time_machine.move_to("2026-10-19 10:00 +0800", tick=False)
    names = "abcdefgh"
    reps = {name: UserFactory(username=f"rep_{name}", department=sales, roles=[Role.SALES_REP]) for name in names}
    UserFactory(username="rep_left", department=sales, roles=[Role.SALES_REP], is_active=False)
    far = UserFactory(username="far_rep", department=DepartmentFactory(code="sales2"), roles=[Role.SALES_REP])
    # a: none, b: a draft — neither handed in, late against both deadlines by now.
    statement(reps["b"], SEPTEMBER, S.DRAFT)
    # c: in on Friday 9 October (2nd working day), waiting for the clerk: late in review.
    statement(reps["c"], SEPTEMBER, S.SUBMITTED, submitted="2026-10-09 16:00")
    # d: in on the make-up Saturday at 17:00 — on time, its 3rd working day; waiting for the manager.
    statement(reps["d"], SEPTEMBER, S.CLERK_SIGNED, submitted="2026-10-10 17:00")
    # e: in on Monday 12 October, the 4th working day — late; waiting for finance.
    statement(reps["e"], SEPTEMBER, S.MANAGER_SIGNED, submitted="2026-10-12 09:00")
    # f: signed three times on Friday 16 October at 17:00 — within the 8th working day.
    statement(reps["f"], SEPTEMBER, S.VALID, submitted="2026-10-08 10:00", valid="2026-10-16 17:00")
    # g: signed three times at 18:30 that Friday — after the 8th working day ended.
    statement(reps["g"], SEPTEMBER, S.VALID, submitted="2026-10-08 11:00", valid="2026-10-16 18:30")
    # h: handed in on time, returned to the rep: not valid, late in review.
    statement(reps["h"], SEPTEMBER, S.RETURNED, submitted="2026-10-09 09:00")
    # August (filed in September: due Thursday 3 September, signed by Thursday 10 September):
    # only c's, signed in time.
    statement(reps["c"], AUGUST, S.VALID, submitted="2026-09-02 10:00", valid="2026-09-09 10:00")
    return {**reps, "far": far}


def test_the_deadlines_are_the_3rd_and_8th_working_days_of_the_month_after(db):
    """CAL-01, EXP-06, EXP-07: one read of the calendar gives what deadlines_for gives, month by
    month; September 2026's fall on the make-up Saturday 10 October and on Friday 16 October."""
    months = [add_months(date(2025, 12, 1), index) for index in range(13)]
    assert review_deadlines(months) == {month: deadlines_for(month) for month in months}
    assert review_deadlines([SEPTEMBER])[SEPTEMBER] == (at("2026-10-10 18:00"), at("2026-10-16 18:00"))


def test_review_progress_by_stage_and_late_against_the_3rd_and_8th_working_day(review_data, clerk):
    """DSH-01, EXP-06, EXP-07: October's review of the September statements, as of 19 October."""
    body = figures(clerk, "2026-10", "statement_review")
    assert body["reps"] == body["expected"] == 8  # the inactive rep and Sales 2 are not on the roster
    stages = {key: body[key] for key in ("not_submitted", "submitted", "clerk_signed", "manager_signed", "valid",
                                         "returned")}  # fmt: skip
    assert stages == {"not_submitted": 2, "submitted": 1, "clerk_signed": 1, "manager_signed": 1, "valid": 2,
                      "returned": 1}  # fmt: skip
    # 3rd working day: e handed in late; a and b not in, the deadline past.
    assert body["late_submission"] == 3
    # 8th working day: g signed after it; a, b, c, d, e, h not valid, the deadline past.
    assert body["late_review"] == 7
    month = body["months"][0]
    assert (month["month"], month["due_at"], month["review_due_at"]) == (
        "2026-09", "2026-10-10T18:00:00+08:00", "2026-10-16T18:00:00+08:00",
    )  # fmt: skip
    assert (body["submit_working_day"], body["review_working_day"]) == (3, 8)


def test_review_lateness_is_as_of_now(time_machine, sales, clerk):
    """EXP-06, EXP-07, CAL-01: the 3rd working day of October 2026 is the make-up Saturday 10
    October: until it ends at 18:00 nobody is late to submit, then those not in are; the 8th
    is Friday 16 October, and lateness in review starts when it ends."""
    reps = [UserFactory(username=f"rep_{name}", department=sales, roles=[Role.SALES_REP]) for name in "abdf"]
    time_machine.move_to("2026-10-10 17:59 +0800", tick=False)
    statement(reps[1], SEPTEMBER, S.DRAFT)  # b; a has none
    statement(reps[2], SEPTEMBER, S.SUBMITTED, submitted="2026-10-10 17:00")  # d, on the Saturday, on time
    statement(reps[3], SEPTEMBER, S.MANAGER_SIGNED, submitted="2026-10-09 10:00")  # f
    body = figures(clerk, "2026-10", "statement_review")
    assert (body["late_submission"], body["late_review"]) == (0, 0)
    time_machine.move_to("2026-10-10 18:01 +0800", tick=False)
    assert figures(clerk, "2026-10", "statement_review")["late_submission"] == 2  # a and b
    time_machine.move_to("2026-10-16 17:59 +0800", tick=False)
    Statement.objects.filter(rep=reps[3]).update(status=S.VALID, valid_at=at("2026-10-16 17:30"))
    body = figures(clerk, "2026-10", "statement_review")
    assert (body["late_submission"], body["late_review"], body["valid"]) == (2, 0, 1)
    time_machine.move_to("2026-10-16 18:01 +0800", tick=False)
    assert figures(clerk, "2026-10", "statement_review")["late_review"] == 3  # a, b and d; f was signed in time


def test_review_counts_agree_with_the_month_s_roster(review_data, clerk, finance):
    """DSH-02, EXP-06, EXP-07: every count is the roster's, row by row: the same reps, the same
    standing against the 3rd and the 8th working day."""
    for person in (clerk, finance):
        rows, _due, _review_due = month_roster(person, SEPTEMBER, now=at("2026-10-19 10:00"))
        body = figures(person, "2026-10", "statement_review")
        assert body["reps"] == len(rows)
        assert body["not_submitted"] == sum(1 for row in rows if not row.statement or row.statement.status == S.DRAFT)
        assert body["late_submission"] == sum(1 for row in rows if row.submission in ("late", "overdue"))
        assert body["late_review"] == sum(1 for row in rows if row.review in ("late", "overdue"))
        assert body["valid"] == sum(1 for row in rows if row.statement and row.statement.status == S.VALID)


def test_review_previous_period_and_a_quarter(review_data, clerk):
    """DSH-01: September's review of the August statements beside October's; a quarter sums
    the review of each of its months' previous months."""
    before = figures(clerk, "2026-10", "statement_review")["previous"]
    assert (before["expected"], before["not_submitted"], before["valid"]) == (8, 7, 1)
    assert (before["late_submission"], before["late_review"]) == (7, 7)
    shown = numbers(clerk, "2026-10", "statement_review")
    assert (shown["not-submitted"].value, shown["not-submitted"].previous) == (2, 7)
    quarter = figures(clerk, "2026-Q4", "statement_review")
    assert [row["month"] for row in quarter["months"]] == ["2026-09", "2026-10", "2026-11"]
    # October's statements are due on 4 November: nobody is late with them on 19 October.
    assert (quarter["expected"], quarter["not_submitted"], quarter["late_submission"]) == (24, 2 + 8 + 8, 3)
    chart = presentation(clerk, "2026-Q4", "statement_review").charts[0]
    assert (chart.kind, chart.categories) == ("stacked", ["2026-09", "2026-10", "2026-11"])
    assert chart.links == ["/fees/roster/?month=2026-09", "/fees/statements/?month=2026-10",
                           "/fees/statements/?month=2026-11"]  # fmt: skip


def test_review_scope_of_each_role(review_data, client_for, clerk, manager, director, finance, gm, outsider, sales):
    """EXP-13, ORG-02: the signers and the director their department's reps; finance every
    department's; management, reps and outsiders do not see the block (statements are fee data,
    EXP-13)."""
    for person in (clerk, manager, director):
        assert api(client_for(person), "2026-10")["statement_review"]["not_submitted"] == 2
    everything = api(client_for(finance), "2026-10")["statement_review"]
    assert (everything["reps"], everything["not_submitted"]) == (9, 3)
    assert "statement_review" not in api(client_for(gm), "2026-10")  # statements are fee data (EXP-13)
    assert "statement_review" not in api(client_for(review_data["a"]), "2026-10")  # a rep
    assert "statement_review" not in client_for(outsider).get("/api/v1/dashboard/").json()  # operations


def test_review_links_open_the_roster_and_the_filtered_lists(review_data, client_for, clerk):
    """DSH-01, DSH-03: not submitted and late open the month's roster; each stage the statement
    list filtered by month and status; every link answers 200 and is filtered."""
    shown = presentation(clerk, "2026-10", "statement_review")
    by_key = {number.key: number for number in shown.numbers}
    assert by_key["not-submitted"].url == by_key["late-review"].url == "/fees/roster/?month=2026-09"
    assert by_key["submitted"].url == "/fees/statements/?month=2026-09&status=submitted"
    client = client_for(clerk)
    waiting = client.get(by_key["submitted"].url).content.decode()
    waiting_ids = set(Statement.objects.filter(status=S.SUBMITTED, month=SEPTEMBER).values_list("pk", flat=True))
    others = Statement.objects.exclude(pk__in=waiting_ids)
    assert all(f"/fees/statements/{pk}/" in waiting for pk in waiting_ids)
    assert not any(f"/fees/statements/{row.pk}/" in waiting for row in others)
    roster = client.get(by_key["not-submitted"].url).content.decode()
    assert "Statements for 2026-09" in roster and roster.count('class="roster-row"') == 8
    chart = shown.charts[0]
    assert (chart.kind, chart.categories[0], chart.series[0].data) == ("pie", "Not submitted", [2, 1, 1, 1, 2, 1])
    for address in [number.url for number in shown.numbers if number.url] + chart.links + [shown.list_url]:
        assert client.get(address).status_code == 200, address


def test_review_as_excel(review_data, client_for, clerk):
    """DSH-01, CUS-07: the block's table as Excel, one row per month with both deadlines."""
    answer = client_for(clerk).get("/dashboard/statement_review/export/", {"period": "2026-10"})
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content))).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0][:5] == ["Month", "Due", "Review due", "Reps", "Not submitted"]
    assert rows[1] == ["2026-09", datetime(2026, 10, 10, 18), datetime(2026, 10, 16, 18), 8, 2, 1, 1, 1, 2, 1, 3, 7]


def test_review_in_a_constant_number_of_queries(time_machine, sales, clerk, finance):
    """DSH-01: the same queries for 2 reps as for 10, and for a year as for a month."""
    time_machine.move_to("2026-10-19 10:00 +0800", tick=False)
    reps = [UserFactory(username=f"qrep{index}", department=sales, roles=[Role.SALES_REP]) for index in range(10)]

    def count(user, period="2026-10") -> int:
        with CaptureQueriesContext(connection) as queries:
            compute(block_for(user, "statement_review"), Scope(user, parse_period(period)))
        return len(queries)

    statement(reps[0], SEPTEMBER, S.SUBMITTED, submitted="2026-10-09 10:00")
    statement(reps[1], SEPTEMBER, S.VALID, submitted="2026-10-09 10:00", valid="2026-10-15 10:00")
    for user in (clerk, finance):
        count(user)  # the user's roles, read once
    few = {user.username: count(user) for user in (clerk, finance)}
    for index in range(2, 10):
        statement(reps[index], SEPTEMBER, S.RETURNED, submitted="2026-10-12 10:00")
        statement(reps[index], AUGUST, S.VALID, submitted="2026-09-02 10:00", valid="2026-09-09 10:00")
    assert {user.username: count(user) for user in (clerk, finance)} == few
    assert count(clerk, "2026") == few["clerk"] and few["clerk"] <= 6
