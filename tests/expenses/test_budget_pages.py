"""The budget pages and the year-end report (EXP-16, EXP-13, ORG-02, DSH-03)."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from expenses.models import Budget, BudgetAdjustment, BudgetEntryKind, BudgetStatus
from expenses.services.budgets import Posting, post_against_budget
from expenses.services.claims import claim_accept, claim_file
from tests.expenses.budgets import EVENT_DAY, approved, approved_budget, category
from tests.expenses.test_budgets_and_claims import receipt
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _today(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(datetime.datetime(2026, 10, 9, 10, 0), tick=False):
        yield


@pytest.fixture
def gm_user(db):
    return UserFactory(username="general_manager", roles=["management"])


def test_finance_drafts_a_budget_and_bad_input_writes_nothing(client_for, finance, sales):
    """EXP-16: finance drafts a line through the form; a negative amount or a second line for the same year,
    department and category is a form error and nothing is written."""
    client = client_for(finance)
    data = {"year": 2026, "department": sales.pk, "category": category("gifts").pk, "amount": "8000", "note": ""}
    assert client.post(reverse("expenses:budget_new"), data).status_code == 302
    assert client.post(reverse("expenses:budget_new"), {**data, "amount": "-1"}).status_code == 400
    response = client.post(reverse("expenses:budget_new"), data)
    assert response.status_code == 400 and "already has" in response.content.decode()
    assert client.post(reverse("expenses:budget_new"), {**data, "year": "abc"}).status_code == 400
    assert Budget.objects.filter(category__code="gifts").count() == 1


def test_management_approves_finance_cannot(client_for, finance, gm_user, sales):
    """EXP-16: management approves (a named grant); finance's approval is refused and changes nothing."""
    budget = Budget.objects.create(year=2026, department=sales, category=category("gifts"), amount=Decimal("5"))
    url = reverse("expenses:budget_approve", args=[budget.pk])
    assert client_for(finance).post(url).status_code == 403
    assert client_for(gm_user).get(reverse("expenses:budget_new")).status_code == 403
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.DRAFT
    assert client_for(gm_user).post(url).status_code == 302
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.APPROVED and budget.approved_by == gm_user


def test_an_adjustment_is_proposed_and_approved_through_the_page(client_for, finance, gm_user, sales):
    """EXP-16: adjustments through the same path; a zero adjustment is refused."""
    budget = approved_budget(sales, amount="1000.00")
    url = reverse("expenses:budget_adjustment_new", args=[budget.pk])
    assert client_for(finance).post(url, {"amount": "0", "reason": "x"}).status_code == 400
    assert client_for(finance).post(url, {"amount": "250", "reason": ""}).status_code == 400
    assert client_for(finance).post(url, {"amount": "250", "reason": "展会"}).status_code == 302
    adjustment = BudgetAdjustment.objects.get()
    approve = reverse("expenses:budget_adjustment_approve", args=[budget.pk, adjustment.pk])
    assert client_for(finance).post(approve).status_code == 403
    assert client_for(gm_user).post(approve).status_code == 302
    page = client_for(finance).get(reverse("expenses:budget_detail", args=[budget.pk])).content.decode()
    assert "¥1,250.00" in page


def test_the_outsider_sees_no_budget_page_and_a_head_only_their_department(client_for, outsider, operations, sales):
    """ORG-02: budget pages are for finance, management and those who oversee a department."""
    sales_line = approved_budget(sales)
    for url in (reverse("expenses:budget_list"), reverse("expenses:budget_report"),
                reverse("expenses:budget_detail", args=[sales_line.pk])):  # fmt: skip
        assert client_for(outsider).get(url).status_code == 404
    head = UserFactory(username="ops_head", department=operations, roles=["operations"])
    operations.head = head
    operations.save(update_fields=["head"])
    own = approved_budget(operations, code="events", amount="700.00")
    client = client_for(head)
    listing = client.get(reverse("expenses:budget_list")).content.decode()
    assert f'data-budget="{own.pk}"' in listing and f'data-budget="{sales_line.pk}"' not in listing
    assert client.get(reverse("expenses:budget_detail", args=[sales_line.pk])).status_code == 404


def _spend(applicant, manager, finance, cost, amount, guest):
    application = approved(applicant, by=manager, finance=finance, cost=cost, guest=guest)
    with time_machine.travel(datetime.datetime.combine(EVENT_DAY, datetime.time(12)), tick=False):
        claim = claim_file(actor=applicant, application=application, amount=Decimal(amount), receipts=[receipt()])
    claim_accept(actor=finance, claim=claim)


def test_the_report_compares_budget_and_actual_in_constant_queries(
    client_for, finance, applicant, manager, entertainment_budget, django_assert_max_num_queries
):
    """EXP-16: in force, committed, spent and variance per department and category, in the same number of queries
    for one record as for many; the Excel file holds the same figures."""
    _spend(applicant, manager, finance, "600.00", "550.00", "甲")
    client = client_for(finance)
    url = reverse("expenses:budget_report") + "?year=2026"
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        first = client.get(url)
    for index in range(6):
        _spend(applicant, manager, finance, "300.00", "300.00", f"客{index}")
    approved(applicant, by=manager, cost="450.00", guest="待报销")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert first.status_code == page.status_code == 200
    row = page.content.decode().split(f'data-line="{entertainment_budget.pk}"', 1)[1].split("</tr>", 1)[0]
    # 10,000 in force; 450 committed; 550 + 6 × 300 = 2,350 spent; variance 7,200.
    for figure in ("¥10,000.00", "¥450.00", "¥2,350.00", "¥7,200.00"):
        assert figure in row
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(url + "&format=xlsx").streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[1][2:] == (10000, 450, 2350, 7200)


@pytest.mark.no_fee_budget
def test_management_sees_the_rapport_fee_total_but_no_reps_line_items(client_for, finance, gm_user, sales, rep):
    """EXP-13, EXP-16: inside the report a rapport-fee line's items are shown only to EXP-13's list; management
    reads the department total."""
    line = approved_budget(sales, code="rapport_fees", amount="5000.00")
    post_against_budget(department=sales, category=category("rapport_fees"), year=2026,
                        postings=[Posting(BudgetEntryKind.RAPPORT_FEE, Decimal("321.00"))], day=EVENT_DAY,
                        person=rep, posted_by=rep)  # fmt: skip
    url = reverse("expenses:budget_detail", args=[line.pk])
    management = client_for(gm_user).get(url).content.decode()
    assert "¥321.00" in management and 'id="hidden-entries"' in management and 'id="entry-table"' not in management
    finance_page = client_for(finance).get(url).content.decode()
    assert 'id="entry-table"' in finance_page and 'id="hidden-entries"' not in finance_page


@pytest.mark.no_fee_budget
def test_the_budget_list_exports_and_filters(client_for, finance, sales, operations):
    """DSH-03: the budget list is filtered and exported to Excel."""
    approved_budget(sales)
    approved_budget(operations, code="events")
    client = client_for(finance)
    page = client.get(reverse("expenses:budget_list"), {"department": operations.pk, "year": 2026})
    assert page.content.decode().count("data-budget=") == 1
    export = client.get(reverse("expenses:budget_list"), {"year": 2026, "export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert workbook.active.max_row == 3
