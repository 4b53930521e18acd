"""Shared set-up of the budget and expense tests (EXP-16, EXP-17): Sales with its director as
head, a rep whose direct superior is the manager, and approved budget lines."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from expenses.categories import ensure_categories
from expenses.models import Budget, BudgetStatus, ExpenseCategory
from expenses.services.applications import application_approve, application_file, application_record

# The National Day week of 2026: 1–7 October off, Saturday 10 October a make-up working day.
EVENT_DAY = datetime.date(2026, 9, 28)


def category(code: str) -> ExpenseCategory:
    ensure_categories(ExpenseCategory)  # a transactional test before this one flushed the seeded rows
    return ExpenseCategory.objects.get(code=code)


def approved_budget(department, code="entertainment", amount="10000.00", year=2026, by=None) -> Budget:
    return Budget.objects.create(
        year=year, department=department, category=category(code), amount=Decimal(amount),
        status=BudgetStatus.APPROVED, prepared_by=by, approved_by=by,
    )  # fmt: skip


def filed(applicant, *, on=datetime.date(2026, 9, 21), event_date=EVENT_DAY, cost="600.00", persons=3,
          code="entertainment", guest="王总", organisation="华盛贸易"):  # fmt: skip
    """An application filed on `on` (the clock pinned there) through the service."""
    with time_machine.travel(datetime.datetime.combine(on, datetime.time(10, 0)), tick=False):
        return application_file(
            actor=applicant, category=category(code), event_date=event_date, guest=guest,
            organisation=organisation, reason="商务洽谈", persons=persons, estimated_cost=Decimal(cost),
        )  # fmt: skip


def approved(applicant, *, by, finance=None, **kwargs):
    """Filed and approved by the superior `by` (and recorded when `finance` is given)."""
    application = filed(applicant, **kwargs)
    application_approve(actor=by, application=application)
    if finance is not None:
        application_record(actor=finance, application=application)
    application.refresh_from_db()
    return application


@pytest.fixture
def sales_head(sales, director):
    sales.head = director
    sales.save(update_fields=["head"])
    return director


@pytest.fixture
def applicant(rep, manager, sales_head):
    rep.superior = manager
    rep.save(update_fields=["superior"])
    return rep


@pytest.fixture
def entertainment_budget(sales):
    return approved_budget(sales)
