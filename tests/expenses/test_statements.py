import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from crm_project.core.errors import DomainError, PermissionDenied
from expenses.models import StatementStatus
from expenses.services.statements import statement_create, statement_submit
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(db):
    product = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(product)
    return product


def test_the_statement_is_prefilled_with_fees_and_allocations(rep, module, time_machine):
    """EXP-02, EXP-04, EXP-05, EXP-06"""
    time_machine.move_to("2026-10-09 10:00 +0800")
    customer = fee_customer(rep)
    purchase(customer, module, quantity="12", amount="1000.00", collected="600.00")
    statement = statement_create(actor=rep, month=SEPTEMBER)
    line = statement.lines.get()
    assert (line.net_quantity, line.fee, line.payable) == (Decimal("12.00"), Decimal("108.00"), Decimal("64.80"))
    amounts = sorted(a.amount for a in line.allocations.all())
    assert amounts == [Decimal("12.96"), Decimal("19.44"), Decimal("32.40")]
    assert sum(amounts) == line.payable


def test_the_september_2026_statement_is_due_at_the_end_of_saturday_10_october(rep, module, time_machine):
    """EXP-06, CAL-02: the 3rd working day of October 2026 is the make-up Saturday."""
    time_machine.move_to("2026-10-09 10:00 +0800")
    statement = statement_create(actor=rep, month=SEPTEMBER)
    statement.refresh_from_db()
    assert timezone.localtime(statement.due_at).isoformat() == "2026-10-10T18:00:00+08:00"
    assert timezone.localtime(statement.review_due_at).isoformat() == "2026-10-16T18:00:00+08:00"


def test_a_late_submission_is_accepted_and_marked_late(rep, module, time_machine):
    """EXP-06"""
    time_machine.move_to("2026-10-09 10:00 +0800")
    customer = fee_customer(rep)
    purchase(customer, module)
    statement = statement_create(actor=rep, month=SEPTEMBER)
    time_machine.move_to("2026-10-12 09:00 +0800")
    statement = statement_submit(actor=rep, statement=statement)
    assert statement.status == StatementStatus.SUBMITTED
    assert statement.late
    assert statement.late_by == datetime.timedelta(hours=39)


def test_only_a_past_month_and_only_once(rep, module, time_machine):
    """EXP-06"""
    time_machine.move_to("2026-10-09 10:00 +0800")
    with pytest.raises(DomainError, match="ended"):
        statement_create(actor=rep, month=datetime.date(2026, 10, 1))
    statement_create(actor=rep, month=SEPTEMBER)
    with pytest.raises(DomainError, match="already"):
        statement_create(actor=rep, month=SEPTEMBER)


def test_only_reps_file_statements(clerk, module):
    with pytest.raises(PermissionDenied):
        statement_create(actor=clerk, month=SEPTEMBER)


def test_uncollected_fees_become_payable_when_collected(rep, module, time_machine):
    """EXP-04: what is not payable this month becomes payable in the month it is collected."""
    time_machine.move_to("2026-10-09 10:00 +0800")
    customer = fee_customer(rep)
    row = purchase(customer, module, quantity="12", amount="1000.00", collected="0.00")
    september = statement_create(actor=rep, month=SEPTEMBER)
    assert september.lines.get().payable == Decimal("0.00")
    row.collected_amount = Decimal("1000.00")
    row.save(update_fields=["collected_amount"])
    time_machine.move_to("2026-11-04 10:00 +0800")
    october = statement_create(actor=rep, month=datetime.date(2026, 10, 1))
    carried = october.lines.get()
    assert carried.purchase_month == SEPTEMBER
    assert carried.payable == Decimal("108.00")


def test_a_new_standard_never_changes_a_past_month(rep, module, time_machine):
    """EXP-02"""
    time_machine.move_to("2026-10-09 10:00 +0800")
    customer = fee_customer(rep)
    purchase(customer, module, quantity="12")
    fee_standard(module, valid_from=datetime.date(2026, 10, 1), tiers=[(1, None, "50.00")])
    statement = statement_create(actor=rep, month=SEPTEMBER)
    assert statement.lines.get().fee == Decimal("108.00")


def test_a_customer_with_fees_but_no_fee_receiving_contact_blocks_submission(rep, module, time_machine):
    """EXP-05"""
    time_machine.move_to("2026-10-09 10:00 +0800")
    customer = fee_customer(rep, shares=())
    purchase(customer, module)
    statement = statement_create(actor=rep, month=SEPTEMBER)
    with pytest.raises(DomainError, match="附表5"):
        statement_submit(actor=rep, statement=statement)
    statement.refresh_from_db()
    assert statement.status == StatementStatus.DRAFT
