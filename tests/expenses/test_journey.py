"""What follows a valid statement, on its page (EXP-08, EXP-10, EXP-11): the steps with their
deadlines from the working-day calendar, links, and what is done of each; the returned
statement's banner (EXP-07); filing the original and the copy as acts (EXP-08)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.workdays.calendar import start_of_working_day
from expenses.models import ReviewAction, ReviewEvent, SignoffSheet, Statement, StatementStatus
from expenses.selectors_journey import statement_journey
from expenses.services.advances import advance_opens_on
from expenses.services.archive import statement_file_copy, statement_file_original
from expenses.services.review import statement_return, statement_sign
from expenses.services.signoff import payout_deadlines, signoff_payout, signoff_sheets_create
from expenses.services.statements import statement_create, statement_submit
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase, valid_statement
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def october(time_machine):
    time_machine.move_to("2026-10-12 10:00 +0800", tick=False)
    return time_machine


@pytest.fixture
def module(db):
    product = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(product)
    return product


def _valid(rep, clerk, manager, finance, module, customers: int = 1) -> Statement:
    people = []
    for index in range(customers):
        customer = fee_customer(rep, name=f"客户{index:03d}")
        purchase(customer, module)
        people.append(customer)
    return valid_statement(rep, clerk=clerk, manager=manager, finance=finance, customers=people, product=module)


@pytest.fixture
def statement(rep, clerk, manager, finance, module):
    return _valid(rep, clerk, manager, finance, module)


def _steps(statement, user) -> dict:
    statement = Statement.objects.select_related("rep", "archived_original_by", "archived_copy_by").get(pk=statement.pk)
    return {step.key: step for step in statement_journey(statement, user=user)}


# --- the steps -------------------------------------------------------------------------------


def test_the_steps_and_their_deadlines_come_from_the_calendar(statement, rep):
    """EXP-10, EXP-11: advance from the 9th working day; payout by the 18th, sheets to finance
    by the 20th, write-off by the 25th (the last working day on or before each)."""
    steps = _steps(statement, rep)
    assert list(steps) == ["advance", "sheets", "payout", "handed", "writeoff", "original", "copy"]
    due = payout_deadlines(SEPTEMBER)
    assert steps["advance"].opens_at == start_of_working_day(advance_opens_on(statement))
    assert steps["payout"].deadline == due.moment("payout")
    assert steps["handed"].deadline == due.moment("sheets")
    assert steps["writeoff"].deadline == due.moment("writeoff")
    assert due.payout.day <= 18 and due.sheets.day <= 20 and due.writeoff.day <= 25
    assert steps["advance"].optional and not steps["advance"].done
    assert steps["sheets"].progress == "0 of 3 made"  # three contacts share the fee
    assert not any(step.done for step in steps.values())
    assert steps["advance"].url.endswith(f"?statement={statement.pk}")  # the rep's own request form
    assert steps["payout"].url == f"/fees/payouts/{statement.pk}/"


def test_it_counts_what_is_done_and_flags_what_is_late(statement, rep, finance, october):
    """EXP-11: sheets made n/m, payouts recorded n/m; past the 18th an open payout is overdue."""
    sheets = signoff_sheets_create(actor=rep, statement=statement)
    signoff_payout(actor=rep, sheet=sheets[0])
    steps = _steps(statement, rep)
    assert steps["sheets"].done and steps["sheets"].progress == "3 of 3 made"
    assert steps["payout"].progress.startswith("1 of 3 paid out") and not steps["payout"].done
    assert not steps["payout"].overdue
    assert _steps(statement, finance)["writeoff"].url == "/fees/finance/"
    october.move_to("2026-10-20 10:00 +0800", tick=False)
    assert _steps(statement, rep)["payout"].overdue
    SignoffSheet.objects.filter(statement=statement).update(paid_at=statement.valid_at)
    assert _steps(statement, rep)["payout"].done and not _steps(statement, rep)["payout"].overdue


def test_the_page_shows_the_steps_only_once_valid(client_for, rep, clerk, manager, finance, module):
    """EXP-07, EXP-08: before the third signature nothing follows yet."""
    purchase(fee_customer(rep), module)
    draft = statement_create(actor=rep, month=SEPTEMBER)
    assert 'id="next-steps"' not in client_for(rep).get(f"/fees/statements/{draft.pk}/").content.decode()
    statement = statement_submit(actor=rep, statement=draft)
    for signer in (clerk, manager, finance):
        statement = statement_sign(actor=signer, statement=statement)
    html = client_for(rep).get(f"/fees/statements/{statement.pk}/").content.decode()
    assert 'id="next-steps"' in html and 'data-step="writeoff"' in html
    assert f'href="/fees/payouts/{statement.pk}/"' in html
    assert client_for(manager).get(f"/fees/payouts/{statement.pk}/").status_code == 200


def test_the_statement_page_costs_the_same_queries_for_1_or_12_customers(
    client_for, rep, other_rep, clerk, manager, finance, module
):
    """EXP-11: one query set per step, whatever the number of sheets and contacts."""
    small = _valid(rep, clerk, manager, finance, module, customers=1)
    large = _valid(other_rep, clerk, manager, finance, module, customers=12)
    for statement in (small, large):
        for sheet in signoff_sheets_create(actor=statement.rep, statement=statement)[:2]:
            signoff_payout(actor=statement.rep, sheet=sheet)
    counts = []
    for statement in (small, large):
        client = client_for(statement.rep)
        client.get(f"/fees/statements/{statement.pk}/")  # warm the session and the settings row
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/fees/statements/{statement.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_journey_itself_is_a_fixed_number_of_queries(rep, clerk, manager, finance, module):
    """EXP-10, EXP-11: settings, working days, advances, sheets, contacts with a fee."""
    statement = _valid(rep, clerk, manager, finance, module, customers=5)
    signoff_sheets_create(actor=rep, statement=statement)
    statement = Statement.objects.select_related("rep", "archived_original_by", "archived_copy_by").get(pk=statement.pk)
    with CaptureQueriesContext(connection) as queries:
        statement_journey(statement, user=rep)
    assert len(queries) <= 8, [q["sql"] for q in queries]


# --- filing: an act of the person who files ------------------------------------------------------


def test_the_third_signature_no_longer_files_anything(statement):
    """EXP-08: valid and locked, but nothing is filed until someone files it."""
    assert statement.is_valid and statement.valid_at
    assert statement.archived_original_at is None and statement.archived_copy_at is None


def test_finance_files_the_original_and_the_clerk_the_copy(statement, finance, clerk, october):
    """EXP-08: each records who and when, in the review history and the audit history."""
    statement = statement_file_original(actor=finance, statement=statement)
    october.shift(3600)
    statement = statement_file_copy(actor=clerk, statement=statement)
    statement.refresh_from_db()
    assert statement.archived_original_by == finance and statement.archived_copy_by == clerk
    assert statement.archived_copy_at > statement.archived_original_at
    events = ReviewEvent.objects.filter(statement=statement, action=ReviewAction.ARCHIVE).order_by("pk")
    assert [(event.role, event.user) for event in events] == [("finance", finance), ("clerk", clerk)]
    assert statement.history.filter(archived_original_by=finance).exists()


def test_filing_is_refused_to_the_wrong_person_twice_and_before_valid(
    statement, rep, clerk, manager, finance, sales, module, other_rep
):
    """EXP-08: finance files the original, the department's clerk the copy; once each; only a
    valid statement."""
    for actor in (rep, clerk, manager):
        with pytest.raises(PermissionDenied):
            statement_file_original(actor=actor, statement=statement)
    for actor in (rep, manager, finance):
        with pytest.raises(PermissionDenied):
            statement_file_copy(actor=actor, statement=statement)
    elsewhere = UserFactory(username="clerk-east", department=DepartmentFactory(code="east"), roles=["sales_clerk"])
    with pytest.raises(PermissionDenied):
        statement_file_copy(actor=elsewhere, statement=statement)
    statement_file_original(actor=finance, statement=statement)
    with pytest.raises(DomainError, match="Already filed by"):
        statement_file_original(actor=finance, statement=statement)
    purchase(fee_customer(other_rep), module)
    draft = statement_create(actor=other_rep, month=SEPTEMBER)
    with pytest.raises(DomainError, match="signed three times"):
        statement_file_copy(actor=clerk, statement=draft)
    draft.refresh_from_db()
    assert draft.archived_copy_at is None


def test_the_filing_buttons_on_the_page_for_the_right_role(client_for, statement, rep, clerk, finance, manager):
    """EXP-08: finance sees "original filed", the clerk "copy filed", nobody else either."""
    url = f"/fees/statements/{statement.pk}/"
    assert 'id="file-original"' in client_for(finance).get(url).content.decode()
    assert 'id="file-copy"' not in client_for(finance).get(url).content.decode()
    assert 'id="file-copy"' in client_for(clerk).get(url).content.decode()
    for user in (rep, manager):
        html = client_for(user).get(url).content.decode()
        assert 'id="file-original"' not in html and 'id="file-copy"' not in html
    response = client_for(finance).post(f"{url}file-original/")
    assert response.status_code == 302
    html = client_for(rep).get(url).content.decode()
    assert "filed by finance" in html and "filed the signed original" in html
    assert 'id="file-original"' not in client_for(finance).get(url).content.decode()


def test_the_filing_pages_refuse_with_4xx_and_write_nothing(
    client_for, statement, rep, other_rep, outsider, gm, clerk, finance
):
    """EXP-08, EXP-13: the rep 403; another department or management 404; GET 405; twice is a
    message, not a second filing."""
    url = f"/fees/statements/{statement.pk}/"
    assert client_for(rep).post(f"{url}file-original/").status_code == 403
    assert client_for(rep).post(f"{url}file-copy/").status_code == 403
    assert client_for(finance).post(f"{url}file-copy/").status_code == 403
    for user in (outsider, gm):
        assert client_for(user).post(f"{url}file-original/").status_code == 404
    assert client_for(finance).get(f"{url}file-original/").status_code == 405
    assert client_for(finance).post("/fees/statements/999999/file-original/").status_code == 404
    statement.refresh_from_db()
    assert statement.archived_original_at is None and statement.archived_copy_at is None
    client_for(clerk).post(f"{url}file-copy/")
    response = client_for(clerk).post(f"{url}file-copy/", follow=True)
    assert "Already filed by" in response.content.decode()
    assert ReviewEvent.objects.filter(statement=statement, action=ReviewAction.ARCHIVE).count() == 1


def test_the_api_files_the_original_and_the_copy(client_for, statement, rep, finance, clerk, outsider):
    """EXP-08: POST …/file-original/ (finance) and …/file-copy/ (the clerk); the wrong role 403,
    out of sight 404, twice 400."""
    url = f"/api/v1/statements/{statement.pk}/"
    assert client_for(rep).post(f"{url}file-original/").status_code == 403
    assert client_for(outsider).post(f"{url}file-copy/").status_code == 404
    response = client_for(finance).post(f"{url}file-original/")
    assert response.status_code == 200, response.content
    assert response.json()["archived_original_by"] == "finance" and response.json()["archived_copy_at"] is None
    assert client_for(finance).post(f"{url}file-original/").status_code == 400
    body = client_for(clerk).post(f"{url}file-copy/").json()
    assert body["archived_copy_by"] == "clerk" and body["archived_copy_at"]


# --- the returned statement ---------------------------------------------------------------------


@pytest.fixture
def returned(rep, clerk, manager, module, october):
    purchase(fee_customer(rep), module)
    october.move_to("2026-10-09 10:00 +0800", tick=False)  # submitted on time
    statement = statement_submit(actor=rep, statement=statement_create(actor=rep, month=SEPTEMBER))
    statement = statement_sign(actor=clerk, statement=statement)
    october.move_to("2026-10-13 15:30 +0800", tick=False)
    return statement_return(actor=manager, statement=statement, comment="第一家客户的回款金额不对")


def test_a_returned_statement_says_who_returned_it_when_and_why_at_the_top(client_for, returned, rep, clerk):
    """EXP-07: the comment, the name and the moment above everything else, and the way back."""
    html = client_for(rep).get(f"/fees/statements/{returned.pk}/").content.decode()
    banner = html[html.index('id="returned-banner"') : html.index('id="statement-facts"')]
    assert "第一家客户的回款金额不对" in banner and "2026-10-13 15:30" in banner and "manager" in banner
    assert 'id="returned-recalculate"' in banner and 'id="returned-submit"' in banner
    assert "/customers/purchases/?month_from=2026-09&amp;month_to=2026-09" in banner
    assert "clerk" in banner  # whom to ask for corrections
    assert html.index('id="returned-banner"') < html.index('id="statement-lines"')
    clerk_html = client_for(clerk).get(f"/fees/statements/{returned.pk}/").content.decode()
    assert "第一家客户的回款金额不对" in clerk_html and 'id="returned-submit"' not in clerk_html


def test_a_returned_statement_is_not_submitted_on_time(client_for, returned, rep):
    """EXP-06, EXP-07: back with the rep, it is neither in nor on time — to be submitted again."""
    for url in (f"/fees/statements/{returned.pk}/", "/fees/"):
        html = client_for(rep).get(url).content.decode()
        assert "submitted on time" not in html and "to be submitted again" in html
    statement = statement_submit(actor=rep, statement=returned)
    assert statement.status == StatementStatus.SUBMITTED
    html = client_for(rep).get(f"/fees/statements/{returned.pk}/").content.decode()
    assert "submitted on time" in html and 'id="returned-banner"' not in html


def test_a_late_returned_statement_keeps_its_late_flag(client_for, rep, clerk, module, october):
    """EXP-06: a late first submission stays late after the return, without "on time"."""
    purchase(fee_customer(rep), module)
    october.move_to("2026-10-14 10:00 +0800", tick=False)  # after the 3rd working day
    statement = statement_submit(actor=rep, statement=statement_create(actor=rep, month=SEPTEMBER))
    statement_return(actor=clerk, statement=statement, comment="缺少备注")
    html = client_for(rep).get(f"/fees/statements/{statement.pk}/").content.decode().replace("\xa0", " ")
    assert "first submitted late by" in html and "submitted on time" not in html
