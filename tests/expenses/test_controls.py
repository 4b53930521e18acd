"""Controls: confidentiality exceptions (EXP-13), reassignment (EXP-14), investigations (EXP-15)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm_project.core.errors import DomainError, PermissionDenied
from customers.models import Customer
from expenses.models import ConfidentialityException, Investigation, InvestigationStatus, Reassignment, SignoffSheet
from expenses.selectors import statement_visible_to
from expenses.services.controls import (
    exception_approve,
    exception_archive,
    exception_reject,
    exception_request,
    investigation_close,
    investigation_open,
    reps_reassign,
)
from expenses.services.statements import statement_create, statement_recalculate
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNTIL = datetime.date(2026, 12, 31)


@pytest.fixture
def module(db):
    product = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(product)
    return product


@pytest.fixture
def statement(rep, module, time_machine):
    time_machine.move_to("2026-10-09 10:00 +0800")
    purchase(fee_customer(rep, code="C-CTL-1"), module)
    return statement_create(actor=rep, month=SEPTEMBER)


def _request(clerk, outsider, rep, **kwargs):
    return exception_request(actor=clerk, grantee=outsider, rep=rep, reason=kwargs.pop("reason", "内部审计"),
                             valid_until=kwargs.pop("valid_until", UNTIL))  # fmt: skip


# --- EXP-13 ---------------------------------------------------------------------------------


def test_an_exception_grants_visibility_only_once_the_director_approves(
    statement, rep, other_rep, outsider, clerk, manager, director, module, client_for
):
    """EXP-13: manager, then director; only then does the grantee see the rep's fee data."""
    purchase(fee_customer(other_rep), module)
    others = statement_create(actor=other_rep, month=SEPTEMBER)
    exception = _request(clerk, outsider, rep)
    api = client_for(outsider)
    assert not statement_visible_to(outsider).exists()
    assert api.get(f"/api/v1/statements/{statement.pk}/").status_code == 404

    exception_approve(actor=manager, exception=exception)
    assert not statement_visible_to(outsider).exists()  # the manager's approval alone is not enough

    exception_approve(actor=director, exception=exception)
    assert list(statement_visible_to(outsider)) == [statement]
    assert api.get(f"/api/v1/statements/{statement.pk}/").status_code == 200
    assert api.get(f"/api/v1/statements/{others.pk}/").status_code == 404  # only the named rep's data

    exception_archive(actor=clerk, exception=exception)
    exception.refresh_from_db()
    assert exception.archived_by == clerk and exception.archived_at
    assert statement_visible_to(outsider).exists()


def test_rejected_and_expired_exceptions_grant_nothing(statement, rep, outsider, gm, clerk, manager, director,
                                                       time_machine):  # fmt: skip
    """EXP-13"""
    rejected = _request(clerk, outsider, rep)
    exception_approve(actor=manager, exception=rejected)
    exception_reject(actor=director, exception=rejected)
    assert not statement_visible_to(outsider).exists()
    with pytest.raises(DomainError, match="decided"):
        exception_approve(actor=director, exception=rejected)

    expiring = _request(clerk, gm, rep, valid_until=datetime.date(2026, 10, 31))
    exception_approve(actor=manager, exception=expiring)
    exception_approve(actor=director, exception=expiring)
    assert statement_visible_to(gm).exists()
    time_machine.move_to("2026-11-01 09:00 +0800")
    assert not statement_visible_to(gm).exists()


def test_exception_steps_go_in_order_by_the_right_people(statement, rep, outsider, clerk, manager, director):
    """EXP-13: manager before director, clerk files after both; the grantee never approves."""
    exception = _request(clerk, outsider, rep)
    with pytest.raises(DomainError, match="sales manager"):
        exception_approve(actor=director, exception=exception)
    with pytest.raises(DomainError, match="sales manager"):
        exception_archive(actor=clerk, exception=exception)
    for nobody in (rep, outsider):
        with pytest.raises(PermissionDenied):
            exception_approve(actor=nobody, exception=exception)
    exception.refresh_from_db()
    assert exception.manager_at is None and exception.director_at is None
    own = _request(clerk, manager, rep)
    with pytest.raises(PermissionDenied, match="themselves"):
        exception_approve(actor=manager, exception=own)


def test_bad_exception_requests_are_refused(statement, rep, outsider, clerk):
    """EXP-13: a written reason and a future end date; nothing is created."""
    with pytest.raises(DomainError, match="why"):
        _request(clerk, outsider, rep, reason="  ")
    with pytest.raises(DomainError, match="past"):
        _request(clerk, outsider, rep, valid_until=datetime.date(2026, 1, 1))
    with pytest.raises(DomainError, match="own"):
        _request(clerk, rep, rep)
    with pytest.raises(PermissionDenied):
        _request(rep, outsider, rep)
    assert not ConfidentialityException.objects.exists()


# --- EXP-14 ---------------------------------------------------------------------------------


def test_the_manager_hands_a_leaving_reps_customers_and_open_payouts_over(
    statement, rep, other_rep, manager, finance, module
):
    """EXP-14, ORG-03: in one go, with each customer's history kept."""
    second = fee_customer(rep, code="C-CTL-2")
    contacts = list(statement.lines.get().customer.contacts.order_by("pk"))
    open_sheet = SignoffSheet.objects.create(statement=statement, contact=contacts[0], amount=Decimal("5"), payer=rep)
    done_sheet = SignoffSheet.objects.create(
        statement=statement, contact=contacts[1], amount=Decimal("5"), payer=rep,
        written_off_at=timezone.now(), written_off_by=finance,
    )  # fmt: skip
    reassignment = reps_reassign(actor=manager, from_rep=rep, to_rep=other_rep, reason="离职交接")

    assert set(Customer.objects.filter(owner=other_rep).values_list("code", flat=True)) == {"C-CTL-1", "C-CTL-2"}
    assert not Customer.objects.filter(owner=rep).exists()
    open_sheet.refresh_from_db()
    done_sheet.refresh_from_db()
    assert open_sheet.payer == other_rep
    assert done_sheet.payer == rep  # written off: history, not open work
    moved = Customer.objects.filter(owner=other_rep).values_list("pk", flat=True)
    assert sorted(reassignment.customer_ids) == sorted(moved)
    assert reassignment.sheet_ids == [open_sheet.pk]
    latest = second.history.order_by("-history_date", "-history_id").first()
    assert latest.owner_id == other_rep.pk
    assert latest.history_user == manager
    assert latest.prev_record.owner_id == rep.pk


def test_only_the_manager_reassigns_and_only_to_an_active_rep(statement, rep, other_rep, clerk, manager, outsider):
    """EXP-14: refused with a reason; nothing changes."""
    with pytest.raises(PermissionDenied):
        reps_reassign(actor=clerk, from_rep=rep, to_rep=other_rep, reason="x")
    with pytest.raises(DomainError, match="active sales representative"):
        reps_reassign(actor=manager, from_rep=rep, to_rep=clerk, reason="x")
    with pytest.raises(DomainError, match="another rep"):
        reps_reassign(actor=manager, from_rep=rep, to_rep=rep, reason="x")
    with pytest.raises(DomainError, match="why"):
        reps_reassign(actor=manager, from_rep=rep, to_rep=other_rep, reason="")
    assert Customer.objects.get(code="C-CTL-1").owner == rep
    assert not Reassignment.objects.exists()


# --- EXP-15 ---------------------------------------------------------------------------------


def test_an_open_or_unclear_investigation_blocks_the_customers_fees(statement, rep, clerk, finance):
    """EXP-15: open → blocked at computation; clear → paid again; unclear → stays blocked."""
    customer = Customer.objects.get(code="C-CTL-1")
    assert not statement.lines.get().blocked
    investigation = investigation_open(actor=clerk, customer=customer, reason="进销存不符")
    statement_recalculate(actor=rep, statement=statement)
    assert statement.lines.get().blocked

    investigation = investigation_close(actor=finance, investigation=investigation, clear=False, findings="库存对不上")
    assert investigation.status == InvestigationStatus.UNCLEAR
    statement_recalculate(actor=rep, statement=statement)
    assert statement.lines.get().blocked

    investigation = investigation_close(actor=clerk, investigation=investigation, clear=True, findings="补齐单据")
    assert investigation.status == InvestigationStatus.CLEAR
    assert "库存对不上" in investigation.findings and "补齐单据" in investigation.findings
    statement_recalculate(actor=rep, statement=statement)
    assert not statement.lines.get().blocked


def test_who_investigates_and_bad_input(statement, rep, clerk, director, sales):
    """EXP-15: the clerk, manager and finance; one open investigation per customer; a reason."""
    customer = Customer.objects.get(code="C-CTL-1")
    for nobody in (rep, director):
        with pytest.raises(PermissionDenied):
            investigation_open(actor=nobody, customer=customer, reason="x")
    elsewhere = UserFactory(username="clerk_elsewhere", department__code="sales-north", roles=["sales_clerk"])
    with pytest.raises(PermissionDenied, match="department"):
        investigation_open(actor=elsewhere, customer=customer, reason="x")
    with pytest.raises(DomainError, match="investigated"):
        investigation_open(actor=clerk, customer=customer, reason=" ")
    investigation = investigation_open(actor=clerk, customer=customer, reason="x")
    with pytest.raises(DomainError, match="already open"):
        investigation_open(actor=clerk, customer=customer, reason="y")
    with pytest.raises(DomainError, match="findings"):
        investigation_close(actor=clerk, investigation=investigation, clear=True, findings="")
    assert Investigation.objects.get().status == InvestigationStatus.OPEN


# --- the page -------------------------------------------------------------------------------

PAGE = "/fees/controls/"


def test_the_controls_page_is_for_signers_and_finance_only(statement, rep, other_rep, outsider, gm, clerk, manager,
                                                           director, finance, client_for):  # fmt: skip
    """EXP-13: reps, outsiders and management get a 404 on every controls URL."""
    exception = _request(clerk, outsider, rep)
    investigation = investigation_open(actor=clerk, customer=Customer.objects.get(code="C-CTL-1"), reason="x")
    for user in (clerk, manager, director, finance):
        response = client_for(user).get(PAGE)
        assert response.status_code == 200
        for section in ('id="exceptions"', 'id="reassignments"', 'id="investigations"'):
            assert section in response.content.decode()
    posts = [
        (f"{PAGE}exceptions/new/", {"grantee": outsider.pk, "rep": rep.pk, "valid_until": "2026-12-31", "reason": "x"}),
        (f"{PAGE}exceptions/{exception.pk}/approve/", {}),
        (f"{PAGE}reassign/", {"from_rep": rep.pk, "to_rep": other_rep.pk, "reason": "x"}),
        (f"{PAGE}investigations/new/", {"customer": "C-CTL-1", "reason": "x"}),
        (f"{PAGE}investigations/{investigation.pk}/close/", {"outcome": "clear", "findings": "x"}),
    ]
    for user in (rep, other_rep, outsider, gm):
        client = client_for(user)
        assert client.get(PAGE).status_code == 404
        for url, data in posts:
            assert client.post(url, data).status_code == 404, url
    assert ConfidentialityException.objects.count() == 1
    assert Investigation.objects.get().status == InvestigationStatus.OPEN
    assert Customer.objects.get(code="C-CTL-1").owner == rep


def test_the_page_runs_the_whole_exception_flow(statement, rep, outsider, clerk, manager, director, client_for):
    """EXP-13 through the forms."""
    response = client_for(clerk).post(
        f"{PAGE}exceptions/new/", {"grantee": outsider.pk, "rep": rep.pk, "valid_until": "2026-12-31", "reason": "审计"}
    )
    assert response.status_code == 302
    exception = ConfidentialityException.objects.get()
    page = client_for(manager).get(PAGE).content.decode()
    assert f"/fees/controls/exceptions/{exception.pk}/approve/" in page
    assert "/approve/" not in client_for(director).get(PAGE).content.decode()  # not the director's turn yet
    client_for(manager).post(f"{PAGE}exceptions/{exception.pk}/approve/")
    client_for(director).post(f"{PAGE}exceptions/{exception.pk}/approve/")
    client_for(clerk).post(f"{PAGE}exceptions/{exception.pk}/archive/")
    exception.refresh_from_db()
    assert (exception.manager, exception.director, exception.archived_by) == (manager, director, clerk)
    assert statement_visible_to(outsider).exists()


def test_bad_form_input_is_shown_and_changes_nothing(statement, rep, outsider, clerk, client_for):
    """EXP-13, EXP-15: form errors in the user's words."""
    client = client_for(clerk)
    response = client.post(f"{PAGE}investigations/new/", {"customer": "NOPE", "reason": "x"})
    assert response.status_code == 400
    assert "No customer of yours has the code NOPE" in response.content.decode()
    response = client.post(
        f"{PAGE}exceptions/new/", {"grantee": outsider.pk, "rep": rep.pk, "valid_until": "2026-01-01", "reason": "x"}
    )
    assert response.status_code == 400
    assert "past" in response.content.decode()
    assert not Investigation.objects.exists() and not ConfidentialityException.objects.exists()
    response = client.post(f"{PAGE}investigations/new/", {"customer": "C-CTL-1", "reason": "进销存核查"})
    assert response.status_code == 302
    investigation = Investigation.objects.get()
    client.post(f"{PAGE}investigations/{investigation.pk}/close/", {"outcome": "unclear", "findings": "不符"})
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.UNCLEAR


def test_the_manager_reassigns_through_the_page(statement, rep, other_rep, manager, client_for):
    """EXP-14"""
    response = client_for(manager).post(f"{PAGE}reassign/", {"from_rep": rep.pk, "to_rep": other_rep.pk,
                                                              "reason": "离职"})  # fmt: skip
    assert response.status_code == 302
    assert Customer.objects.get(code="C-CTL-1").owner == other_rep
    assert "离职" in client_for(manager).get(PAGE).content.decode()


def test_the_page_runs_a_constant_number_of_queries(statement, rep, outsider, clerk, manager, client_for):
    """The lists cost the same whatever their length."""
    customers = [fee_customer(rep, shares=()) for _n in range(6)]

    def make(count):
        for n in range(count):
            _request(clerk, outsider, rep)
            investigation_open(actor=clerk, customer=customers[n], reason="x")

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client_for(manager).get(PAGE).status_code == 200
        return len(queries)

    make(1)
    few = measure()
    Investigation.objects.update(status=InvestigationStatus.CLEAR)
    make(5)
    assert measure() == few


def test_approving_an_exception_asks_once_who_sees_whose_fees(statement, rep, outsider, clerk, manager, client_for):
    """EXP-13: the approve button names who would see whose fee data, and until when."""
    exception = _request(clerk, outsider, rep)
    page = client_for(manager).get(PAGE).content.decode()
    row = page[page.index(f'id="exception-{exception.pk}"') :].split("</tr>", 1)[0]
    question = row.split('data-confirm="', 1)[1].split('"', 1)[0]
    assert outsider.display_name in question and rep.display_name in question
    assert f"{exception.valid_until:%Y-%m-%d}" in question
