"""The rapport-fee cards of the landing page (DSH-02, EXP-06, EXP-07, EXP-10, EXP-11): the rep's
countdown in working days to the 3rd working day, the rep's open fee steps after a valid
statement (sign-off sheets, payouts, hand-in, the optional advance) with their deadlines, and
the signers' queue oldest first with each statement's 8th-working-day deadline. Constant
queries with 2 or 20 sheets, and with a backlog of statements."""

import datetime
from decimal import ROUND_DOWN, Decimal

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from expenses.models import SignoffSheet, Statement
from expenses.services.signoff import payout_deadlines, signoff_payout, signoff_sheets_create
from expenses.services.statements import statement_create, statement_submit
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase, valid_statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(db):
    product = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(product)
    return product


def _page(client):
    return lxml.html.fromstring(client.get("/").content)


def _card(document, key: str):
    found = document.xpath(f'//*[@id="panel-{key}"]')
    return found[0] if found else None


def _text(element) -> str:
    return " ".join(element.text_content().replace("\xa0", " ").split())


def _valid(rep, clerk, manager, finance, module, *, month=SEPTEMBER, contacts: int = 3) -> Statement:
    share = (Decimal(100) / contacts).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    shares = [str(share)] * (contacts - 1) + [str(Decimal(100) - share * (contacts - 1))]
    customer = fee_customer(rep, shares=shares)
    purchase(customer, module, month=month)
    return valid_statement(
        rep, clerk=clerk, manager=manager, finance=finance, customers=[customer], product=module, month=month
    )


# --- the countdown to the 3rd working day ---------------------------------------------------


def test_the_statement_card_counts_the_working_days_left(client_for, rep, time_machine):
    """DSH-02, EXP-06: on Friday 9 October 2026 the September statement is due at the end of
    the make-up Saturday 10 October, the 3rd working day: two working days left; on the day
    itself, the last one."""
    time_machine.move_to("2026-10-09 10:00 +0800", tick=False)
    card = _card(_page(client_for(rep)), "fees_statement")
    assert "2 working days left: due by 2026-10-10 18:00 (the 3rd working day)." in _text(card)
    time_machine.move_to("2026-10-10 09:00 +0800", tick=False)
    card = _card(_page(client_for(rep)), "fees_statement")
    assert "Last working day: due by 2026-10-10 18:00 (the 3rd working day)." in _text(card)
    time_machine.move_to("2026-10-12 09:00 +0800", tick=False)
    card = _card(_page(client_for(rep)), "fees_statement")
    assert "working day" not in _text(card) and "overdue by" in _text(card)


def test_a_submitted_statement_shows_no_countdown(client_for, rep, module, time_machine):
    """DSH-02, EXP-06: once handed in, the card says on time, not how long is left."""
    time_machine.move_to("2026-10-09 10:00 +0800", tick=False)
    purchase(fee_customer(rep), module)
    statement_submit(actor=rep, statement=statement_create(actor=rep, month=SEPTEMBER))
    card = _card(_page(client_for(rep)), "fees_statement")
    assert "submitted on time" in _text(card) and "working days left" not in _text(card)


# --- the rep's open fee steps ----------------------------------------------------------------


def _steps(card) -> list[str]:
    return [step.get("data-step") for step in card.xpath('.//li[contains(@class, "fee-step")]')]


def test_the_rep_sees_the_open_steps_of_a_valid_statement(client_for, rep, clerk, manager, finance, module,
                                                           time_machine):  # fmt: skip
    """DSH-02, EXP-10, EXP-11: sheets to draw up, payouts to record and have confirmed, sheets to
    hand to finance, with the deadlines of the calendar; the advance while payouts are open."""
    time_machine.move_to("2026-10-12 10:00 +0800", tick=False)
    statement = _valid(rep, clerk, manager, finance, module)
    card = _card(_page(client_for(rep)), "fees_steps")
    assert card.xpath('.//*[@data-month="2026-09"]')
    assert _steps(card) == ["advance", "sheets", "payout", "handed"]
    due = payout_deadlines(SEPTEMBER)
    text = _text(card)
    assert "0 of 3 made" in text
    assert f"by {timezone.localtime(due.moment('payout')):%Y-%m-%d %H:%M}" in text
    assert f"by {timezone.localtime(due.moment('sheets')):%Y-%m-%d %H:%M}" in text
    assert f"/fees/statements/{statement.pk}/#next-steps" in card.xpath(".//a/@href")
    assert f"/fees/payouts/{statement.pk}/" in card.xpath(".//a/@href")

    sheets = signoff_sheets_create(actor=rep, statement=statement)
    signoff_payout(actor=rep, sheet=sheets[0])
    card = _card(_page(client_for(rep)), "fees_steps")
    assert _steps(card) == ["advance", "payout", "handed"]
    assert "1 of 3 paid out, 0 confirmed by the contact" in _text(card)
    assert not card.xpath('.//*[contains(@class, "step-overdue")]')

    time_machine.move_to("2026-10-20 10:00 +0800", tick=False)  # past the payout day
    card = _card(_page(client_for(rep)), "fees_steps")
    overdue = card.xpath('.//li[@data-step="payout"]//*[contains(@class, "step-overdue")]')
    assert overdue and "overdue by" in _text(overdue[0])

    SignoffSheet.objects.filter(statement=statement).update(paid_at=timezone.now())
    card = _card(_page(client_for(rep)), "fees_steps")
    assert _steps(card) == ["handed"]  # no advance once everything is paid out
    SignoffSheet.objects.filter(statement=statement).update(submitted_to_finance_at=timezone.now())
    card = _card(_page(client_for(rep)), "fees_steps")
    assert _steps(card) == [] and "No fee step is open on your valid statements." in _text(card)


def test_the_steps_are_the_reps_own(client_for, rep, other_rep, clerk, manager, finance, module, time_machine):
    """DSH-02, EXP-13: another rep sees none of them; a signer has no such card."""
    time_machine.move_to("2026-10-12 10:00 +0800", tick=False)
    _valid(rep, clerk, manager, finance, module)
    assert _steps(_card(_page(client_for(other_rep)), "fees_steps")) == []
    for signer in (clerk, manager, finance):
        assert _card(_page(client_for(signer)), "fees_steps") is None


def _queries(client) -> int:
    client.get("/")  # the settings rows and the calendar are made on the first visit
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_fee_steps_cost_the_same_for_2_or_20_sheets(client_for, rep, other_rep, clerk, manager, finance,
                                                        module, time_machine):  # fmt: skip
    """DSH-02: one statement with 2 contacts, another with 20 — the same queries."""
    time_machine.move_to("2026-10-12 10:00 +0800", tick=False)
    counts = []
    for person, contacts in ((rep, 2), (other_rep, 20)):
        statement = _valid(person, clerk, manager, finance, module, contacts=contacts)
        for sheet in signoff_sheets_create(actor=person, statement=statement)[:2]:
            signoff_payout(actor=person, sheet=sheet)
        counts.append(_queries(client_for(person)))
    assert counts[0] == counts[1], counts


def test_a_backlog_of_statements_does_not_cost_more(client_for, rep, clerk, manager, finance, module, time_machine):
    """DSH-02: the card lists the two oldest statements with open steps; a third and a fourth
    are behind a link, and cost no query."""

    def valid_for(month: int) -> None:
        time_machine.move_to(datetime.datetime(2026, month + 1, 20, 10, tzinfo=datetime.UTC), tick=False)
        _valid(rep, clerk, manager, finance, module, month=datetime.date(2026, month, 1))

    for month in (6, 9):  # September's is the one the statement card shows in October
        valid_for(month)
    time_machine.move_to("2026-10-12 10:00 +0800", tick=False)
    two = _queries(client_for(rep))
    for month in (7, 8):
        valid_for(month)
    time_machine.move_to("2026-10-12 10:00 +0800", tick=False)
    card = _card(_page(client_for(rep)), "fees_steps")
    assert [row.get("data-month") for row in card.xpath(".//*[@data-month]")] == ["2026-06", "2026-07"]
    assert "See all my statements" in _text(card)
    assert _queries(client_for(rep)) == two


# --- the signers' queue ---------------------------------------------------------------------


def test_the_queue_is_oldest_first_with_the_8th_working_day(client_for, rep, other_rep, clerk, module, time_machine):
    """DSH-02, EXP-07: the statement handed in first comes first; each shows when its three
    signatures are due (the end of the 8th working day) and, once past, that review is overdue."""
    time_machine.move_to("2026-10-09 09:00 +0800", tick=False)
    purchase(fee_customer(other_rep), module)
    first = statement_submit(actor=other_rep, statement=statement_create(actor=other_rep, month=SEPTEMBER))
    time_machine.move_to("2026-10-09 15:00 +0800", tick=False)
    purchase(fee_customer(rep), module)
    second = statement_submit(actor=rep, statement=statement_create(actor=rep, month=SEPTEMBER))
    card = _card(_page(client_for(clerk)), "fees_queue")
    rows = card.xpath('.//li[contains(@class, "queue-statement")]')
    assert [int(row.get("data-statement")) for row in rows] == [first.pk, second.pk]
    due = f"{timezone.localtime(first.review_due_at):%Y-%m-%d %H:%M}"
    assert f"signatures by {due} (8th working day)" in _text(rows[0])
    assert not card.xpath('.//*[contains(@class, "review-overdue-flag")]')
    time_machine.move_to(first.review_due_at + datetime.timedelta(hours=1), tick=False)
    card = _card(_page(client_for(clerk)), "fees_queue")
    assert len(card.xpath('.//*[contains(@class, "review-overdue-flag")]')) == 2


def test_the_queue_costs_the_same_for_2_or_20_statements(client_for, clerk, sales, module, time_machine):
    """DSH-02: 2 or 20 statements waiting — the same queries."""
    from crm_project.accounts.roles import Role
    from tests.factories import UserFactory

    time_machine.move_to("2026-10-09 09:00 +0800", tick=False)

    def submit(count: int, start: int) -> None:
        for index in range(start, start + count):
            person = UserFactory(username=f"queue-rep-{index}", department=sales, roles=[Role.SALES_REP])
            purchase(fee_customer(person), module)
            statement_submit(actor=person, statement=statement_create(actor=person, month=SEPTEMBER))

    submit(2, 0)
    few = _queries(client_for(clerk))
    submit(18, 2)
    assert _queries(client_for(clerk)) == few
