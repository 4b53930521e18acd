"""The statement pages: the rep's home, the statement page and its actions (EXP-04 … EXP-08,
EXP-13, DSH-02), driven through the views as a user clicks."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

import expenses.my_work  # noqa: F401  (registers the "My work" panels, as ExpensesConfig.ready() will)
from expenses.models import (
    Investigation,
    ReviewEvent,
    Signature,
    Statement,
    StatementStatus,
)
from expenses.services.statements import statement_create, statement_recalculate
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

AUGUST = datetime.date(2026, 8, 1)


@pytest.fixture
def october(time_machine):
    """9 October 2026: the September statement is due at the end of Saturday 10 October."""
    time_machine.move_to("2026-10-09 10:00 +0800", tick=False)
    return time_machine


@pytest.fixture
def module(db):
    product = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(product)
    return product


def _customers(rep, product, count, *, start=0):
    for index in range(start, start + count):
        customer = fee_customer(rep, name=f"客户{index:03d}有限公司")
        purchase(customer, product)


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def statement(rep, module, october):
    _customers(rep, module, 2)
    return statement_create(actor=rep, month=SEPTEMBER)


def test_it_offers_the_rep_to_create_last_months_statement_with_a_countdown(client_for, rep, module, october):
    """EXP-06, DSH-02: the rep's home shows the previous month's button and the time left."""
    _customers(rep, module, 1)
    page = client_for(rep).get("/fees/")
    assert page.status_code == 200
    html = page.content.decode().replace("\xa0", " ")
    assert "Create statement for 2026-09" in html
    assert "due in 1 day" in html and "2026-10-10 18:00" in html


def test_the_rep_creates_the_statement_from_the_home_page(client_for, rep, module, october):
    """EXP-06: created for the previous month by default, pre-filled, with allocations."""
    _customers(rep, module, 2)
    client = client_for(rep)
    response = client.post("/fees/statements/new/")
    statement = Statement.objects.get(rep=rep)
    assert statement.month == SEPTEMBER
    assert response.status_code == 302 and response["Location"] == f"/fees/statements/{statement.pk}/"
    html = client.get(response["Location"]).content.decode().replace("\xa0", " ")
    assert "客户000有限公司" in html and "客户001有限公司" in html
    assert html.count('class="list-inline-item me-3 allocation"') == 6  # 2 customers × 3 contacts
    assert "¥54.00" in html and "¥32.40" in html and "¥21.60" in html  # 108.00 split 50/30/20
    assert 'id="total-payable">216.00<' in html
    assert "due in" in html
    home = client.get("/fees/").content.decode().replace("\xa0", " ")
    assert "Create statement for" not in home and f"/fees/statements/{statement.pk}/" in home


def test_a_second_statement_for_the_same_month_is_refused_with_a_message(client_for, rep, statement):
    """EXP-06"""
    response = client_for(rep).post("/fees/statements/new/", {"month": "2026-09"})
    assert response.status_code == 302
    assert any("already have a statement" in m for m in _messages(response))
    assert Statement.objects.filter(rep=rep).count() == 1


def test_a_month_not_yet_ended_or_garbage_is_refused(client_for, rep, module, october):
    """EXP-06: bad input answered with a message, nothing created."""
    client = client_for(rep)
    assert any("ended" in m for m in _messages(client.post("/fees/statements/new/", {"month": "2026-10"})))
    assert any("YYYY-MM" in m for m in _messages(client.post("/fees/statements/new/", {"month": "soon"})))
    assert not Statement.objects.exists()


def test_only_reps_create_statements(client_for, clerk, module, october):
    """EXP-06: a clerk's attempt is a 403 with the reason."""
    response = client_for(clerk).post("/fees/statements/new/", {"month": "2026-09"})
    assert response.status_code == 403
    assert "Only sales representatives" in response.content.decode().replace("\xa0", " ")
    assert not Statement.objects.exists()


def test_the_full_click_path_rep_clerk_manager_finance(client_for, rep, clerk, manager, finance, module, october):
    """EXP-06, EXP-07, EXP-08: create, note, submit, three signatures in order, then locked and archived."""
    _customers(rep, module, 2)
    rep_client = client_for(rep)
    rep_client.post("/fees/statements/new/", {"month": "2026-09"})
    statement = Statement.objects.get(rep=rep)
    url = f"/fees/statements/{statement.pk}/"
    rep_client.post(url + "notes/", {"notes": "客户000 本月新增采购"})
    rep_client.post(url + "recalculate/")
    response = rep_client.post(url + "submit/")
    assert any("Submitted" in m for m in _messages(response))
    statement.refresh_from_db()
    assert (statement.status, statement.notes, statement.late) == (
        StatementStatus.SUBMITTED,
        "客户000 本月新增采购",
        False,
    )
    assert "Save notes" not in rep_client.get(url).content.decode().replace("\xa0", " ")  # no longer editable

    for signer, status in [
        (clerk, StatementStatus.CLERK_SIGNED),
        (manager, StatementStatus.MANAGER_SIGNED),
        (finance, StatementStatus.VALID),
    ]:
        client = client_for(signer)
        assert 'id="sign-statement"' in client.get(url).content.decode().replace("\xa0", " ")
        response = client.post(url + "sign/")
        assert any(m == "Signed." for m in _messages(response)), _messages(response)
        statement.refresh_from_db()
        assert statement.status == status

    html = rep_client.get(url).content.decode().replace("\xa0", " ")
    assert "valid and locked" in html and "original filed by finance" in html and "copy filed by sales" in html
    for person in (clerk, manager, finance):
        assert person.display_name in html
    assert html.count('class="list-group-item px-0 review-event"') == 4
    assert 'id="submit-statement"' not in html and 'id="sign-statement"' not in html


def test_returning_with_an_empty_comment_is_refused_and_changes_nothing(client_for, rep, clerk, statement):
    """EXP-07: the comment is required; nothing changes without it."""
    client_for(rep).post(f"/fees/statements/{statement.pk}/submit/")
    response = client_for(clerk).post(f"/fees/statements/{statement.pk}/return/", {"comment": "   "})
    assert response.status_code == 302
    assert "Say why you return the statement." in _messages(response)
    statement.refresh_from_db()
    assert (statement.status, statement.cycle) == (StatementStatus.SUBMITTED, 1)
    assert list(ReviewEvent.objects.values_list("action", flat=True)) == ["submit"]


def test_a_return_with_a_comment_goes_back_to_the_rep_and_is_shown(client_for, rep, clerk, manager, statement):
    """EXP-07: returned, the round's signatures no longer count, the comment is in the history."""
    url = f"/fees/statements/{statement.pk}/"
    client_for(rep).post(url + "submit/")
    client_for(clerk).post(url + "sign/")
    response = client_for(manager).post(url + "return/", {"comment": "客户001 数量不对"})
    assert any("Returned" in m for m in _messages(response))
    statement.refresh_from_db()
    assert (statement.status, statement.cycle) == (StatementStatus.RETURNED, 2)
    html = client_for(rep).get(url).content.decode().replace("\xa0", " ")
    assert "客户001 数量不对" in html and 'id="submit-statement"' in html and "Submit again" in html
    signatures = html.split('id="signatures"')[1].split("</table>")[0]
    assert signatures.count("<td>—</td>") == 4  # a new round: nobody has signed it yet


def test_signing_out_of_order_via_the_page_is_refused_with_a_message(client_for, rep, manager, finance, statement):
    """EXP-07: the manager and finance cannot sign before the clerk."""
    client_for(rep).post(f"/fees/statements/{statement.pk}/submit/")
    for signer in (manager, finance):
        client = client_for(signer)
        assert 'id="sign-statement"' not in client.get(f"/fees/statements/{statement.pk}/").content.decode().replace(
            "\xa0", " "
        )
        response = client.post(f"/fees/statements/{statement.pk}/sign/")
        assert response.status_code == 302
        assert "This statement is waiting for the sales clerk's signature." in _messages(response)
    assert not Signature.objects.exists()
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SUBMITTED


def test_signing_a_draft_or_own_statement_is_refused(client_for, rep, clerk, statement):
    """EXP-07: nothing to sign before submission; nobody signs their own statement (403)."""
    response = client_for(clerk).post(f"/fees/statements/{statement.pk}/sign/")
    assert any("not submitted" in m for m in _messages(response))
    client_for(rep).post(f"/fees/statements/{statement.pk}/submit/")
    response = client_for(rep).post(f"/fees/statements/{statement.pk}/sign/")
    assert response.status_code == 403 and "Nobody signs their own statement." in response.content.decode().replace(
        "\xa0", " "
    )
    assert not Signature.objects.exists()


def test_only_the_rep_edits_and_submits(client_for, rep, clerk, director, statement):
    """EXP-06: a signer cannot change or submit the rep's statement."""
    for person in (clerk, director):
        client = client_for(person)
        assert 'id="submit-statement"' not in client.get(f"/fees/statements/{statement.pk}/").content.decode().replace(
            "\xa0", " "
        )
        assert client.post(f"/fees/statements/{statement.pk}/submit/").status_code == 403
        assert client.post(f"/fees/statements/{statement.pk}/notes/", {"notes": "x"}).status_code == 403
    statement.refresh_from_db()
    assert (statement.status, statement.notes) == (StatementStatus.DRAFT, "")


def test_a_late_submission_is_shown_as_late(client_for, rep, statement, october):
    """EXP-06: accepted, marked late with how late."""
    october.move_to("2026-10-12 09:00 +0800", tick=False)
    client = client_for(rep)
    html = client.get(f"/fees/statements/{statement.pk}/").content.decode().replace("\xa0", " ")
    assert "overdue by 1 day, 15 hours" in html
    client.post(f"/fees/statements/{statement.pk}/submit/")
    statement.refresh_from_db()
    assert statement.late and statement.late_by == datetime.timedelta(hours=39)
    html = client.get(f"/fees/statements/{statement.pk}/").content.decode().replace("\xa0", " ")
    assert "submitted late by 1 day, 15 hours" in html
    assert "late" in client.get("/fees/").content.decode().replace("\xa0", " ")


def test_carry_over_and_blocked_lines_are_marked(client_for, rep, clerk, module, october):
    """EXP-04: an earlier month's fee payable now is marked; EXP-15: a blocked customer is flagged."""
    customer = fee_customer(rep, name="调查中客户")
    purchase(customer, module, month=AUGUST, quantity="5", amount="500.00")
    purchase(customer, module)
    Investigation.objects.create(customer=customer, opened_by=clerk, reason="进销存不清")
    statement = statement_create(actor=rep, month=SEPTEMBER)
    html = client_for(rep).get(f"/fees/statements/{statement.pk}/").content.decode().replace("\xa0", " ")
    assert html.count('class="badge text-bg-info carry-over"') == 1
    assert html.count("blocked-flag") == 2
    assert "2026-08" in html


def test_other_reps_other_departments_and_management_get_404(
    client_for, rep, other_rep, outsider, gm, statement, clerk, manager, director, finance
):
    """EXP-13: fee data only for the rep, the three signers, the director and finance."""
    base = f"/fees/statements/{statement.pk}/"
    other_sales = DepartmentFactory(code="sales-east")
    foreign_clerk = UserFactory(username="east-clerk", department=other_sales, roles=["sales_clerk"])
    for person in (other_rep, outsider, gm, foreign_clerk):
        client = client_for(person)
        for url in (base, base + "form1.xlsx", base + "form2.xlsx"):
            assert client.get(url).status_code == 404, (person, url)
        for action in ("submit/", "recalculate/", "notes/", "sign/", "return/"):
            assert client.post(base + action, {"comment": "x", "notes": "x"}).status_code == 404, (person, action)
    for person in (rep, clerk, manager, director, finance):
        assert client_for(person).get(base).status_code == 200, person
    statement.refresh_from_db()
    assert statement.status == StatementStatus.DRAFT and not ReviewEvent.objects.exists()


def test_the_statement_page_runs_a_constant_number_of_queries(client_for, rep, clerk, module, october):
    """5 customers × 3 contacts and 50 × 3 cost the same queries, for the rep and a signer."""
    _customers(rep, module, 5)
    statement = statement_create(actor=rep, month=SEPTEMBER)
    url = f"/fees/statements/{statement.pk}/"
    rep_client, clerk_client = client_for(rep), client_for(clerk)
    rep_client.get(url)  # warm-up: session, settings rows
    clerk_client.get(url)
    with CaptureQueriesContext(connection) as five:
        rep_client.get(url)
    with CaptureQueriesContext(connection) as five_signer:
        clerk_client.get(url)
    _customers(rep, module, 45, start=5)
    statement_recalculate(actor=rep, statement=statement)
    assert statement.lines.count() == 50
    with CaptureQueriesContext(connection) as fifty:
        response = rep_client.get(url)
    with CaptureQueriesContext(connection) as fifty_signer:
        clerk_client.get(url)
    assert response.content.decode().replace("\xa0", " ").count('allocation"') >= 150
    assert len(five) == len(fifty), [q["sql"] for q in fifty.captured_queries]
    assert len(five_signer) == len(fifty_signer)


def test_my_work_shows_the_reps_statement_and_the_signers_queue(client_for, rep, clerk, finance, statement):
    """DSH-02: the rep's card with the countdown; the signers' "waiting for my signature"."""
    html = client_for(rep).get("/").content.decode().replace("\xa0", " ")
    assert 'id="panel-fees_statement"' in html and "due in" in html
    assert 'id="panel-fees_queue"' not in html
    html = client_for(clerk).get("/").content.decode().replace("\xa0", " ")
    assert 'id="panel-fees_queue"' in html and "Nothing waits for your signature." in html
    client_for(rep).post(f"/fees/statements/{statement.pk}/submit/")
    html = client_for(clerk).get("/").content.decode().replace("\xa0", " ")
    assert 'id="fees-queue-count">1<' in html and f"/fees/statements/{statement.pk}/" in html
    assert "Nothing waits for your signature." in client_for(finance).get("/").content.decode().replace("\xa0", " ")


def test_the_home_page_per_role(client_for, rep, clerk, finance, outsider, statement):
    """DSH-02: signers see their queue count; finance also the finance page (the clerk not)."""
    client_for(rep).post(f"/fees/statements/{statement.pk}/submit/")
    html = client_for(clerk).get("/fees/").content.decode().replace("\xa0", " ")
    assert 'id="queue-count">1<' in html and 'id="finance-link"' not in html
    html = client_for(finance).get("/fees/").content.decode().replace("\xa0", " ")
    assert 'id="queue-count">0<' in html
    for link in ('id="standards-link"', 'id="ledger-link"', 'id="finance-link"', "/fees/finance/"):
        assert link in html
    html = client_for(outsider).get("/fees/").content.decode().replace("\xa0", " ")
    assert 'id="no-fee-role"' in html and "Create statement" not in html


def test_notes_are_saved_only_while_editable(client_for, rep, statement):
    """EXP-06, EXP-08: after submission the statement cannot be changed."""
    client = client_for(rep)
    client.post(f"/fees/statements/{statement.pk}/notes/", {"notes": "first"})
    client.post(f"/fees/statements/{statement.pk}/submit/")
    response = client.post(f"/fees/statements/{statement.pk}/notes/", {"notes": "second"})
    assert any("can no longer be changed" in m for m in _messages(response))
    statement.refresh_from_db()
    assert statement.notes == "first"
