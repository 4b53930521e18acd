"""The rapport-fee deadline jobs on the 2026 calendar (JOB-01 … JOB-03, JOB-09).

October 2026: the 1st–7th are the National Day holiday; the 3rd working day is the make-up
Saturday 10 October, the 4th is Monday 12, the 8th Friday 16; the 18th and 25th are Sundays.
"""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from crm_project.accounts.roles import Role
from crm_project.core.jobs import load_all_jobs
from crm_project.core.schedules import SCHEDULES
from crm_project.notifications.models import Notification
from expenses import tasks
from expenses.models import SignoffSheet, StatementStatus
from expenses.services.review import statement_return, statement_sign
from expenses.services.statements import statement_create, statement_submit
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(db):
    product = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(product)
    return product


@pytest.fixture
def in_october(time_machine):
    time_machine.move_to("2026-10-09 10:00 +0800")


def _statement(rep, module, *, submit=True):
    purchase(fee_customer(rep), module)
    statement = statement_create(actor=rep, month=SEPTEMBER)
    return statement_submit(actor=rep, statement=statement) if submit else statement


def _sent(prefix: str, recipient=None) -> list[Notification]:
    notifications = Notification.objects.filter(key__startswith=prefix)
    if recipient is not None:
        notifications = notifications.filter(recipient=recipient)
    return list(notifications.order_by("pk"))


def _twice(job, today: str) -> int:
    """Run a job twice, as a restart or a second beat would: the second run sends nothing."""
    first = job(today=today)
    assert job(today=today) == 0
    return first


# --- JOB-01 ---------------------------------------------------------------------------------


def test_statement_reminders_on_the_1st_and_the_3rd_working_day_to_those_not_submitted(
    in_october, rep, other_rep, sales, module
):
    """JOB-01, JOB-09, EXP-06: a draft or no statement is reminded; a submitted one is not."""
    _statement(rep, module)  # rep has submitted
    draft_rep = UserFactory(username="draft_rep", department=sales, roles=["sales_rep"])
    _statement(draft_rep, module, submit=False)
    UserFactory(username="gone_rep", department=sales, roles=["sales_rep"], is_active=False)

    assert _twice(tasks.statement_reminders, "2026-10-01") == 2
    reminded = {n.recipient.username for n in _sent("statement-reminder:2026-09:2026-10-01")}
    assert reminded == {"other_rep", "draft_rep"}
    assert "2026-10-10 18:00" in _sent("statement-reminder:", other_rep)[0].title

    for not_a_reminder_day in ("2026-10-02", "2026-10-08", "2026-10-09", "2026-10-11", "2026-10-12"):
        assert tasks.statement_reminders(today=not_a_reminder_day) == 0

    assert _twice(tasks.statement_reminders, "2026-10-10") == 2  # the make-up Saturday
    assert len(_sent("statement-reminder:", other_rep)) == 2
    assert _sent("statement-reminder:", rep) == []


def test_a_returned_statement_counts_as_not_submitted(in_october, rep, clerk, module):
    """JOB-01"""
    statement = _statement(rep, module)
    statement_return(actor=clerk, statement=statement, comment="Please check the collections")
    assert tasks.statement_reminders(today="2026-10-10") == 1
    assert _sent("statement-reminder:2026-09:2026-10-10", rep)


# --- JOB-02 ---------------------------------------------------------------------------------


def test_review_reminders_daily_from_the_4th_working_day_to_the_signer_waited_for(
    in_october, rep, other_rep, clerk, manager, finance, module
):
    """JOB-02, JOB-09, EXP-07: only the signer each statement waits for, once a day."""
    _statement(rep, module)  # waits for the clerk
    statement_sign(actor=clerk, statement=_statement(other_rep, module))  # waits for the manager

    for too_early_or_day_off in ("2026-10-09", "2026-10-10", "2026-10-11"):
        assert tasks.review_reminders(today=too_early_or_day_off) == 0

    assert _twice(tasks.review_reminders, "2026-10-12") == 2
    assert len(_sent("statement-review-reminder:", clerk)) == 1
    assert len(_sent("statement-review-reminder:", manager)) == 1
    assert _sent("statement-review-reminder:", finance) == []

    assert _twice(tasks.review_reminders, "2026-10-13") == 2
    assert len(_sent("statement-review-reminder:", clerk)) == 2
    assert _sent("statement-escalation:") == []


def test_overdue_reviews_are_escalated_to_the_director_once(in_october, rep, clerk, manager, finance, director, module):
    """JOB-02, JOB-09, EXP-07: after the end of the 8th working day (16 October 18:00)."""
    waiting = _statement(rep, module)
    assert tasks.review_reminders(today="2026-10-16") == 1  # the clerk; the review is due tonight
    assert _sent("statement-escalation:") == []

    assert _twice(tasks.review_reminders, "2026-10-17") == 1  # a Saturday: no reminder, the escalation
    (escalation,) = _sent("statement-escalation:")
    assert escalation.recipient == director
    assert escalation.key == f"statement-escalation:{waiting.pk}:1:{director.pk}"
    assert "clerk" in escalation.body

    assert tasks.review_reminders(today="2026-10-19") == 1  # the clerk again; no second escalation
    assert len(_sent("statement-escalation:")) == 1


def test_a_valid_statement_is_neither_reminded_nor_escalated(
    in_october, rep, clerk, manager, finance, director, module
):
    """JOB-02: only those still open."""
    statement = _statement(rep, module)
    for signer in (clerk, manager, finance):
        statement_sign(actor=signer, statement=statement)
    assert tasks.review_reminders(today="2026-10-19") == 0


# --- JOB-03 ---------------------------------------------------------------------------------


@pytest.fixture
def sheets(in_october, rep, other_rep, clerk, manager, finance, module):
    """Valid September statements; rep: one unpaid sheet and one paid but unconfirmed;
    other_rep: one confirmed and handed to finance."""
    now = timezone.now()
    made = {}
    for who in (rep, other_rep):
        statement = _statement(who, module)
        for signer in (clerk, manager, finance):
            statement = statement_sign(actor=signer, statement=statement)
        assert statement.status == StatementStatus.VALID
        contacts = list(statement.lines.get().customer.contacts.order_by("pk"))
        made[who.username] = [
            SignoffSheet.objects.create(statement=statement, contact=contact, amount=Decimal("10.00"), payer=who)
            for contact in contacts[:2]
        ]
    _unpaid, unconfirmed = made["rep"]
    unconfirmed.paid_at = now
    unconfirmed.save(update_fields=["paid_at"])
    for sheet in made["other_rep"]:
        sheet.paid_at = sheet.confirmed_at = sheet.submitted_to_finance_at = now
        sheet.save(update_fields=["paid_at", "confirmed_at", "submitted_to_finance_at"])
    return made


def test_payout_reminders_before_the_18th_20th_and_25th_only_to_those_open(sheets, rep, other_rep, finance):
    """JOB-03, JOB-09, EXP-11: the 18th and 25th are Sundays, so those deadlines are Friday 16
    and Friday 23; reminders two working days before and on the day."""
    assert tasks.payout_reminders(today="2026-10-13") == 0
    assert _twice(tasks.payout_reminders, "2026-10-14") == 1  # two working days before Friday 16
    assert [n.recipient for n in _sent("payout-reminder:payout:")] == [rep]
    assert "1 sign-off sheets" in _sent("payout-reminder:payout:")[0].body
    assert "2026-10-16" in _sent("payout-reminder:payout:")[0].title
    assert tasks.payout_reminders(today="2026-10-15") == 0

    # Friday 16: payout day, and two working days before the sheets' deadline (Tuesday 20).
    assert _twice(tasks.payout_reminders, "2026-10-16") == 2
    assert len(_sent("payout-reminder:payout:", rep)) == 2
    (sheets_reminder,) = _sent("payout-reminder:sheets:")
    assert sheets_reminder.recipient == rep
    assert "2 sign-off sheets" in sheets_reminder.body
    assert _sent("payout-reminder:", other_rep) == []  # everything handed in

    assert tasks.payout_reminders(today="2026-10-19") == 0
    assert _twice(tasks.payout_reminders, "2026-10-20") == 1

    # Wednesday 21: two working days before the write-off deadline — every finance clerk
    # (the fixture's and the standard's setter), about other_rep's two handed-in sheets.
    assert _twice(tasks.payout_reminders, "2026-10-21") == 2
    recipients = [n.recipient for n in _sent("payout-reminder:writeoff:")]
    assert finance in recipients
    assert all(person.has_role(Role.FINANCE) for person in recipients)
    assert "2 sign-off sheets" in _sent("payout-reminder:writeoff:", finance)[0].body
    assert tasks.payout_reminders(today="2026-10-22") == 0
    assert _twice(tasks.payout_reminders, "2026-10-23") == 2


def test_nothing_open_nothing_sent(sheets, rep, finance):
    """JOB-03: once everything is written off, nobody is reminded."""
    now = timezone.now()
    SignoffSheet.objects.update(
        paid_at=now, confirmed_at=now, submitted_to_finance_at=now, written_off_at=now, written_off_by=finance
    )
    for day in ("2026-10-14", "2026-10-16", "2026-10-20", "2026-10-21", "2026-10-23"):
        assert tasks.payout_reminders(today=day) == 0


def test_a_valid_statement_without_sheets_is_open_for_payout(in_october, rep, clerk, manager, finance, module):
    """JOB-03: no sheet drawn up yet means nothing paid out."""
    statement = _statement(rep, module)
    for signer in (clerk, manager, finance):
        statement_sign(actor=signer, statement=statement)
    assert tasks.payout_reminders(today="2026-10-14") == 1
    assert _sent("payout-reminder:payout:", rep)


def test_reassigned_open_sheets_remind_the_rep_who_took_over(sheets, rep, other_rep, sales, manager):
    """JOB-03, EXP-14: the payer of an open sheet is reminded, not the rep who left."""
    successor = UserFactory(username="successor", department=sales, roles=["sales_rep"])
    SignoffSheet.objects.filter(payer=rep).update(payer=successor)
    rep.is_active = False
    rep.save(update_fields=["is_active"])
    assert tasks.payout_reminders(today="2026-10-14") == 1
    assert _sent("payout-reminder:payout:", successor)


# --- wiring ---------------------------------------------------------------------------------


def test_the_jobs_are_scheduled_daily_and_runnable_by_name(rep):
    """JOB-01 … JOB-03: beat fires each every morning; the job decides."""
    names = {"expenses.statement_reminders", "expenses.review_reminders", "expenses.payout_reminders"}
    assert names <= set(load_all_jobs())
    scheduled = {schedule.task: schedule for schedule in SCHEDULES if schedule.task in names}
    assert set(scheduled) == names
    assert all(s.day_of_month == "*" and s.hour == "8" for s in scheduled.values())
    call_command("run_job", "expenses.statement_reminders", kwargs='{"today": "2026-10-01"}')
    assert _sent("statement-reminder:2026-09:2026-10-01", rep)
