"""The work queues of a fee month: the signer's queue rows (EXP-06, EXP-07), the one
confirmation before signing, "waiting for my approval" (EXP-09, EXP-13, CUS-05), the month's
roster with its de-duplicated reminders (DSH-02, JOB-01, JOB-09, ORG-02), and payouts and
spot-checks of several sign-off sheets in one action (EXP-11). Constant query counts."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.models import Notification
from customers.services.contact_changes import contact_change_approve_manager, contact_change_file
from expenses.models import EntryKind, Investigation, LedgerEntry, SignoffSheet, Statement, StatementStatus
from expenses.selectors_queues import approvals_for
from expenses.services.controls import exception_approve, exception_request
from expenses.services.reminders import statement_remind, statement_reminder_key
from expenses.services.review import statement_return
from expenses.services.signoff import (
    signoff_link_issue,
    signoff_payout,
    signoff_payout_many,
    signoff_sheets_create,
    signoff_spot_check_many,
)
from expenses.services.special_fees import special_fee_apply, special_fee_approve
from expenses.services.statements import deadlines_for, statement_create, statement_submit
from expenses.tasks import statement_reminders
from tests.customers.factories import ContactFactory, CustomerFactory
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase, valid_statement
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

AUGUST = datetime.date(2026, 8, 1)


@pytest.fixture(autouse=True)
def october(time_machine):
    """2026-10-12 is the 6th working day of October (after the National Day holiday): the
    September statements were due by the 3rd working day; the review is due by the 8th."""
    time_machine.move_to("2026-10-12 10:00 +0800", tick=False)
    return time_machine


def _html(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def _statement(rep, *, month=SEPTEMBER, status=StatementStatus.SUBMITTED, late=False, cycle=1):
    due_at, review_due_at = deadlines_for(month)
    submitted = timezone.now() - datetime.timedelta(hours=1)
    return Statement.objects.create(
        rep=rep, month=month, status=status, due_at=due_at, review_due_at=review_due_at, cycle=cycle,
        submitted_at=None if status == StatementStatus.DRAFT else submitted,
        first_submitted_at=None if status == StatementStatus.DRAFT else submitted, late=late,
    )  # fmt: skip


def _reps(department, count, *, start=0):
    users = User.objects.bulk_create(
        User(username=f"qrep{index:03d}", department=department, password="!") for index in range(start, start + count)
    )
    group = Group.objects.get(name="sales_rep")
    User.groups.through.objects.bulk_create(User.groups.through(user=user, group=group) for user in users)
    return users


@pytest.fixture
def module(db):
    product = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(product)
    return product


# --- the signer's queue ------------------------------------------------------------------------


def test_each_queue_row_tells_month_round_total_customers_and_deadlines(client_for, rep, clerk, module):
    """EXP-06, EXP-07: two statements of one rep are told apart by month and round; each row
    has the total, the number of customers, late or on time, and the signer's deadline."""
    first, second = fee_customer(rep, name="甲公司"), fee_customer(rep, name="乙公司")
    purchase(first, module, month=AUGUST)
    purchase(second, module, month=AUGUST)
    august = statement_submit(actor=rep, statement=statement_create(actor=rep, month=AUGUST))
    august = Statement.objects.get(pk=august.pk)
    assert august.late  # August's was due in early September
    september = _statement(rep, cycle=2)
    html = _html(client_for(clerk).get("/fees/queue/"))
    august_row = html[html.index(f'id="queue-row-{august.pk}"') :].split("</tr>")[0]
    september_row = html[html.index(f'id="queue-row-{september.pk}"') :].split("</tr>")[0]
    assert "2026-08" in august_row and "¥216.00" in august_row
    assert 'queue-customers">2<' in august_row and "submitted late" in august_row
    assert "review overdue" in august_row  # August's review was due in September
    assert "2026-09" in september_row and "round 2" in september_row and "submitted on time" in september_row
    assert "review overdue" not in september_row
    _due, review_due = deadlines_for(SEPTEMBER)
    assert timezone.localtime(review_due).strftime("%Y-%m-%d %H:%M") in september_row


def test_the_queue_runs_the_same_queries_for_1_and_20_statements(client_for, sales, clerk, module):
    """EXP-07: the query count does not grow with the rows (customers counted in SQL)."""
    reps = _reps(sales, 20)
    _statement(reps[0])
    client = client_for(clerk)
    client.get("/fees/queue/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/fees/queue/").status_code == 200
    for rep in reps[1:]:
        _statement(rep)
    with CaptureQueriesContext(connection) as twenty:
        assert client.get("/fees/queue/").status_code == 200
    assert _html(client.get("/fees/queue/")).count('class="queue-row"') == 20
    assert len(one) == len(twenty)


# --- signing asks once -------------------------------------------------------------------------


def test_signing_asks_with_month_rep_and_total_and_the_server_still_checks(client_for, rep, clerk, manager, module):
    """EXP-07: the sign button carries one question naming what is signed (crm.js asks it, no
    inline script); a signature for a round the signer did not see is refused; returning
    with a comment stays the way back."""
    customer = fee_customer(rep)
    purchase(customer, module)
    statement = statement_submit(actor=rep, statement=statement_create(actor=rep, month=SEPTEMBER))
    html = _html(client_for(clerk).get(f"/fees/statements/{statement.pk}/"))
    assert f'data-confirm="Sign {rep.display_name}&#x27;s statement for 2026-09, total ¥108.00?"' in html
    assert 'name="cycle" value="1"' in html and "Return with a comment" in html
    js = (Path(django_settings.BASE_DIR) / "static/js/crm.js").read_text()
    assert "[data-confirm]" in js and "window.confirm" in js
    # the rep is told to correct it and resubmits: a click on a page of round 1 does not sign round 2
    statement_return(actor=clerk, statement=statement, comment="请核对回款")
    statement_submit(actor=rep, statement=Statement.objects.get(pk=statement.pk))
    response = client_for(clerk).post(f"/fees/statements/{statement.pk}/sign/", {"cycle": "1"}, follow=True)
    assert "has changed since you opened it" in _html(response)
    assert Statement.objects.get(pk=statement.pk).status == StatementStatus.SUBMITTED
    client_for(clerk).post(f"/fees/statements/{statement.pk}/sign/", {"cycle": "2"})
    assert Statement.objects.get(pk=statement.pk).status == StatementStatus.CLERK_SIGNED
    # the service's own guards still hold: the clerk cannot sign the manager's step
    response = client_for(clerk).post(f"/fees/statements/{statement.pk}/sign/", {"cycle": "2"}, follow=True)
    assert Statement.objects.get(pk=statement.pk).status == StatementStatus.CLERK_SIGNED


# --- waiting for my approval -------------------------------------------------------------------


@pytest.fixture
def pending(rep, clerk, manager, outsider):
    """A special fee, a contact change and a confidentiality exception, each approved by the
    manager and so waiting for the director; and one of each still waiting for the manager."""
    prospect = CustomerFactory(owner=rep, name="新客户甲", status="prospect")
    fee = special_fee_apply(actor=rep, customer=prospect, planned_contract_date=datetime.date(2026, 11, 2),
                            amount="2000.00", purpose="首单签约招待")  # fmt: skip
    special_fee_approve(actor=manager, application=fee)
    fresh_fee = special_fee_apply(
        actor=rep,
        customer=CustomerFactory(owner=rep, status="prospect"),
        planned_contract_date=datetime.date(2026, 11, 9),
        amount="500.00",
        purpose="洽谈",
    )
    customer = CustomerFactory(owner=rep, name="客户乙")
    contact = ContactFactory(customer=customer, receives_fee=True, fee_share=Decimal("100.00"))
    change = contact_change_file(actor=rep, customer=customer, reason="调整",
                                 items=[{"action": "remove", "contact": contact}])  # fmt: skip
    contact_change_approve_manager(actor=manager, request=change)
    exception = exception_request(actor=clerk, grantee=outsider, rep=rep, reason="内部审计",
                                  valid_until=datetime.date(2026, 12, 31))  # fmt: skip
    exception_approve(actor=manager, exception=exception)
    return {"fee": fee, "fresh_fee": fresh_fee, "change": change, "exception": exception}


def test_the_director_sees_what_waits_for_the_director_with_links_to_decide(client_for, director, pending):
    """EXP-09, CUS-05, EXP-13: the three kinds of approval, who asked, when, the amount, and
    the page where the existing approval is done."""
    items = approvals_for(director)
    assert {item.kind for item in items} == {"special_fee", "contact_change", "exception"}
    html = _html(client_for(director).get("/fees/approvals/"))
    assert html.count('class="approval-row') == 3
    assert f'href="/fees/special-fees/{pending["fee"].pk}/"' in html and "¥2000.00" in html
    assert f'href="/customers/change-requests/{pending["change"].pk}/"' in html
    assert 'href="/fees/controls/#exceptions"' in html
    assert "approve as sales director" in html
    assert f"/fees/special-fees/{pending['fresh_fee'].pk}/" not in html  # the manager's step, not the director's


def test_the_manager_sees_only_the_step_that_is_theirs(client_for, manager, pending):
    """EXP-09: the fresh application waits for the manager; the ones they approved do not."""
    items = approvals_for(manager)
    assert [(item.kind, item.step) for item in items] == [("special_fee", "manager")]
    special_fee_approve(actor=manager, application=pending["fresh_fee"])
    assert approvals_for(manager) == []
    assert "Nothing waits for your approval." in _html(client_for(manager).get("/fees/approvals/"))


def test_approvals_are_refused_to_those_who_approve_nothing(client_for, rep, outsider, gm, director, pending):
    """EXP-13: not there for a rep or an outsider; management changes nothing; another
    department's director sees none of these."""
    for person in (rep, outsider, gm):
        assert client_for(person).get("/fees/approvals/").status_code == 404
    elsewhere = UserFactory(username="director2", department=DepartmentFactory(code="sales2"),
                            roles=[Role.SALES_DIRECTOR])  # fmt: skip
    assert approvals_for(elsewhere) == []


def test_approvals_page_and_my_work_panel_run_constant_queries(client_for, rep, manager, director, pending):
    """DSH-02: the page and the "My work" card; the count does not grow with the items."""
    client = client_for(director)
    client.get("/fees/approvals/")
    with CaptureQueriesContext(connection) as few:
        client.get("/fees/approvals/")
    for index in range(5):
        fee = special_fee_apply(
            actor=rep,
            customer=CustomerFactory(owner=rep, status="prospect"),
            planned_contract_date=datetime.date(2026, 11, 2),
            amount="100.00",
            purpose=f"费用{index}",
        )
        special_fee_approve(actor=manager, application=fee)
    with CaptureQueriesContext(connection) as more:
        html = _html(client.get("/fees/approvals/"))
    assert html.count('class="approval-row') == 8
    assert len(few) == len(more)
    home = _html(client.get("/"))
    assert 'id="approvals-count">8<' in home and "/fees/approvals/" in home


# --- the month's roster ------------------------------------------------------------------------


def test_the_roster_shows_every_rep_of_my_department_with_state_and_late_flags(
    client_for, sales, rep, other_rep, clerk, manager, finance
):
    """DSH-02, EXP-06, EXP-07, ORG-02: reps without a statement too; late against the 3rd
    working day and the review against the 8th; nobody from another department."""
    _statement(rep, late=True)
    stranger = UserFactory(username="far_rep", department=DepartmentFactory(code="sales2"), roles=[Role.SALES_REP])
    html = _html(client_for(clerk).get("/fees/roster/"))  # default: the previous month, September
    assert "Statements for 2026-09" in html
    rep_row = html[html.index(f'id="roster-rep-{rep.pk}"') :].split("</tr>")[0]
    other_row = html[html.index(f'id="roster-rep-{other_rep.pk}"') :].split("</tr>")[0]
    assert "submitted late" in rep_row and "remind-rep" not in rep_row
    assert "not started" in other_row and "overdue" in other_row and "remind-rep" in other_row
    assert f"roster-rep-{stranger.pk}" not in html
    assert "not due yet" in rep_row  # the review is due by the 8th working day, 2026-10-14
    later = _html(client_for(manager).get("/fees/roster/?month=2026-08"))
    assert "review overdue" in later and "not started" in later
    # finance sees every department's reps, read-only
    finance_html = _html(client_for(finance).get("/fees/roster/"))
    assert f"roster-rep-{stranger.pk}" in finance_html and "remind-rep" not in finance_html


@pytest.mark.parametrize("month", ["2026-13", "abc", "2026-10", "2027-01", "0001-01"])
def test_the_roster_answers_400_to_a_month_it_cannot_show(client_for, clerk, month):
    """DSH-02: a bad or not yet ended month is a 400 with a message, never a 500."""
    response = client_for(clerk).get(f"/fees/roster/?month={month}")
    assert response.status_code == 400 and "YYYY-MM" in _html(response)


def test_the_roster_is_not_there_for_reps_outsiders_or_management(client_for, rep, outsider, gm):
    """EXP-13: fee data of a department only for its clerk, manager, director and finance."""
    for person in (rep, outsider, gm):
        assert client_for(person).get("/fees/roster/").status_code == 404
        assert client_for(person).post("/fees/roster/remind/", {"month": "2026-09", "all": "1"}).status_code == 404


def test_the_roster_runs_the_same_queries_for_1_and_20_reps(client_for, sales, clerk):
    """DSH-02: constant query count."""
    reps = _reps(sales, 20)
    User.objects.filter(pk__in=[r.pk for r in reps[1:]]).update(is_active=False)
    _statement(reps[0])
    client = client_for(clerk)
    client.get("/fees/roster/")
    with CaptureQueriesContext(connection) as one:
        client.get("/fees/roster/")
    User.objects.filter(pk__in=[r.pk for r in reps]).update(is_active=True)
    for rep in reps[1:10]:
        _statement(rep)
    with CaptureQueriesContext(connection) as twenty:
        html = _html(client.get("/fees/roster/"))
    assert html.count('class="roster-row"') == 20
    assert len(one) == len(twenty)


def test_a_reminder_from_the_roster_and_the_job_never_both_reach_the_rep(client_for, october, rep, other_rep, clerk):
    """JOB-01, JOB-09: the button sends the job's message under the job's key; pressing it
    again, or the job running the same day, sends nothing more."""
    october.move_to("2026-10-01 08:00 +0800", tick=False)  # the 1st: a day the job reminds
    response = client_for(clerk).post("/fees/roster/remind/", {"month": "2026-09", "rep": rep.pk}, follow=True)
    assert "Reminder sent to 1 rep." in _html(response)
    notification = Notification.objects.get(recipient=rep)
    assert notification.key == statement_reminder_key(rep_id=rep.pk, month=SEPTEMBER, day=datetime.date(2026, 10, 1))
    assert "2026-09" in notification.title
    response = client_for(clerk).post("/fees/roster/remind/", {"month": "2026-09", "rep": rep.pk}, follow=True)
    assert "already reminded today" in _html(response)
    assert statement_reminders(today="2026-10-01") == 1  # other_rep only
    assert Notification.objects.filter(recipient=rep).count() == 1
    assert Notification.objects.filter(recipient=other_rep).count() == 1


def test_remind_all_reaches_only_those_not_handed_in(client_for, sales, rep, other_rep, clerk, manager):
    """JOB-01: a rep who handed the statement in is not reminded; a draft or a returned one is."""
    _statement(rep)
    _statement(other_rep, status=StatementStatus.DRAFT)
    third = UserFactory(username="third_rep", department=sales, roles=[Role.SALES_REP])
    response = client_for(manager).post("/fees/roster/remind/", {"month": "2026-09", "all": "1"}, follow=True)
    assert "Reminder sent to 2 reps." in _html(response)
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        other_rep.username,
        third.username,
    }
    with pytest.raises(DomainError):
        statement_remind(actor=clerk, month=SEPTEMBER, reps=[rep])


def test_remind_refuses_bad_input_other_departments_and_finance(client_for, rep, clerk, finance):
    """ORG-02, JOB-09: bad input is a 4xx that sends nothing."""
    stranger = UserFactory(username="far_rep", department=DepartmentFactory(code="sales2"), roles=[Role.SALES_REP])
    client = client_for(clerk)
    assert client.post("/fees/roster/remind/", {"month": "2026-09", "rep": stranger.pk}).status_code == 404
    assert client.post("/fees/roster/remind/", {"month": "2026-09", "rep": "x"}).status_code == 400
    assert client.post("/fees/roster/remind/", {"month": "2026-10", "rep": rep.pk}).status_code == 400
    assert client.post("/fees/roster/remind/", {"month": "bad", "all": "1"}).status_code == 400
    assert client.get("/fees/roster/remind/").status_code == 405
    assert client_for(finance).post("/fees/roster/remind/", {"month": "2026-09", "all": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        statement_remind(actor=finance, month=SEPTEMBER)
    assert not Notification.objects.exists()


# --- payouts and spot-checks of several sheets at once -----------------------------------------


@pytest.fixture
def sheets(rep, clerk, manager, finance, module):
    first, second = fee_customer(rep, name="甲公司"), fee_customer(rep, name="乙公司")
    purchase(first, module)
    purchase(second, module)
    statement = valid_statement(rep, clerk=clerk, manager=manager, finance=finance, customers=[first, second],
                                product=module)  # fmt: skip
    return statement, signoff_sheets_create(actor=rep, statement=statement)


def test_one_action_records_the_payout_of_every_selected_sheet(client_for, rep, sheets):
    """EXP-11: checkboxes, "select all" and one button; each sheet posted as a payout."""
    statement, created = sheets
    page = _html(client_for(rep).get(f"/fees/payouts/{statement.pk}/"))
    assert 'data-check-all=".sheet-select"' in page and page.count('form="bulk-pay"') == 6
    response = client_for(rep).post(
        f"/fees/payouts/{statement.pk}/pay-selected/", {"sheet": [s.pk for s in created]}, follow=True
    )
    assert "Marked paid: 6 sheets, ¥216.00." in _html(response)
    assert SignoffSheet.objects.filter(statement=statement, paid_at__isnull=False).count() == 6
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYOUT, statement=statement).count() == 6


def test_a_refused_sheet_records_nothing_and_says_which_and_why(rep, clerk, sheets):
    """EXP-11, EXP-15: all or nothing — a customer under investigation blocks its sheets, so
    none of the selection is paid, and the message names the contacts."""
    statement, created = sheets
    blocked = created[-1].contact.customer
    Investigation.objects.create(customer=blocked, opened_by=clerk, reason="流向不清")
    signoff_payout(actor=rep, sheet=created[0])
    with pytest.raises(DomainError) as refused:
        signoff_payout_many(actor=rep, statement=statement, sheets=created)
    assert "Nothing was recorded" in refused.value.message and "already marked paid" in refused.value.message
    assert "under investigation" in refused.value.message
    assert SignoffSheet.objects.filter(statement=statement, paid_at__isnull=False).count() == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYOUT, statement=statement).count() == 1


def test_bulk_payout_refuses_bad_input_and_other_people(client_for, rep, other_rep, manager, sheets):
    """EXP-11: a 4xx that writes nothing."""
    statement, created = sheets
    url = f"/fees/payouts/{statement.pk}/pay-selected/"
    assert client_for(rep).post(url, {}).status_code == 400
    assert client_for(rep).post(url, {"sheet": ["x"]}).status_code == 400
    assert client_for(rep).post(url, {"sheet": [created[0].pk, 999999]}).status_code == 400
    assert client_for(other_rep).post(url, {"sheet": [created[0].pk]}).status_code == 404
    assert client_for(manager).post(url, {"sheet": [created[0].pk]}).status_code == 403
    assert client_for(rep).get(url).status_code == 405
    assert not SignoffSheet.objects.filter(paid_at__isnull=False).exists()


def test_the_manager_spot_checks_several_confirmed_sheets_at_once(client_for, rep, manager, clerk, sheets):
    """EXP-11: the manager ticks confirmed sheets; unconfirmed ones refuse the whole action."""
    statement, created = sheets
    signoff_payout_many(actor=rep, statement=statement, sheets=created)
    for sheet in created[:3]:
        SignoffSheet.objects.filter(pk=sheet.pk).update(confirmed_at=timezone.now(), method="paper")
    page = _html(client_for(manager).get(f"/fees/payouts/{statement.pk}/"))
    assert page.count('form="bulk-spot-check"') == 3
    url = f"/fees/payouts/{statement.pk}/spot-check-selected/"
    response = client_for(manager).post(url, {"sheet": [s.pk for s in created[:4]]}, follow=True)
    assert "Nothing was recorded" in _html(response)
    assert not SignoffSheet.objects.filter(spot_checked_at__isnull=False).exists()
    response = client_for(manager).post(url, {"sheet": [s.pk for s in created[:3]]}, follow=True)
    assert "3 sheets spot-checked." in _html(response)
    assert SignoffSheet.objects.filter(spot_checked_by=manager).count() == 3
    assert client_for(clerk).post(url, {"sheet": [created[3].pk]}).status_code == 403
    with pytest.raises(PermissionDenied):
        signoff_spot_check_many(actor=rep, statement=statement, sheets=created[3:])
    assert signoff_link_issue  # the personal link stays the way to confirm one sheet


# --- the demo ----------------------------------------------------------------------------------


def test_the_demo_fills_the_queue_the_approvals_and_the_roster(client_for, october):
    """DSH-02, EXP-07, EXP-09, CUS-05, EXP-13: after seed_demo each queue has rows to show."""
    from django.core.management import call_command

    call_command("seed_demo")
    people = {user.username: user for user in User.objects.filter(username__in=["clerk1", "director1", "manager1"])}
    assert 'class="queue-row"' in _html(client_for(people["clerk1"]).get("/fees/queue/"))
    kinds = {item.kind for item in approvals_for(people["director1"])}
    assert kinds == {"special_fee", "contact_change", "exception"}
    assert [item.kind for item in approvals_for(people["manager1"])] == ["special_fee"]
    roster = _html(client_for(people["manager1"]).get("/fees/roster/"))
    assert roster.count('class="roster-row"') >= 4 and "remind-rep" in roster
