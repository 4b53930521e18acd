"""The expense queues and the "My work" cards (EXP-17, EXP-16, DSH-02, ORG-02): who waits for
whom, as a query that agrees with the services' rule; paged lists with a constant number of
queries; each card shown to whom it concerns and only then; a receipt whose file is gone."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from expenses.models import ExpenseApplication
from expenses.selectors_expenses import applications_waiting_for, claims_to_accept, claims_waiting_for_head
from expenses.services.applications import application_approve, may_give, missing_steps
from expenses.services.claims import claim_file
from tests.expenses.budgets import approved, filed

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
CLAIM_DAY = datetime.datetime(2026, 9, 29, 10, 0)
BEFORE_THE_EVENT = datetime.datetime(2026, 9, 24, 10, 0)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png() -> SimpleUploadedFile:
    return SimpleUploadedFile("receipt.png", PNG, content_type="image/png")


def claimed(application, amount, explanation=""):
    with time_machine.travel(CLAIM_DAY, tick=False):
        return claim_file(actor=application.applicant, application=application, amount=Decimal(amount),
                          explanation=explanation, receipts=[png()])  # fmt: skip


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_approval_queue_agrees_with_the_services_rule(applicant, manager, sales_head, gm, finance, rep,
                                                         entertainment_budget):  # fmt: skip
    """EXP-17: for every application and person, the query's "waits for me" is the services'
    next missing step that this person may give."""
    plain = filed(applicant)
    above = filed(applicant, cost="600.03")
    at_head = filed(applicant, cost="900.00")
    application_approve(actor=manager, application=at_head)
    at_gm = filed(applicant, cost="1200.00")
    application_approve(actor=manager, application=at_gm)
    application_approve(actor=sales_head, application=at_gm)
    approved(applicant, by=manager)
    everyone = (applicant, manager, sales_head, gm, finance)
    for person in everyone:
        expected = {
            application.pk
            for application in ExpenseApplication.objects.all()
            if (steps := missing_steps(application)) and may_give(person, application, steps[0])
        }
        assert set(applications_waiting_for(person).values_list("pk", flat=True)) == expected, person
    assert set(applications_waiting_for(manager).values_list("pk", flat=True)) == {plain.pk, above.pk}
    assert list(applications_waiting_for(sales_head).values_list("pk", flat=True)) == [at_head.pk]
    assert list(applications_waiting_for(gm).values_list("pk", flat=True)) == [at_gm.pk]


def test_claims_wait_for_the_head_only_above_the_estimate(applicant, manager, sales_head, finance,
                                                          entertainment_budget):  # fmt: skip
    """EXP-17: a claim above the estimate waits for the head, not for finance; one within it
    goes straight to finance once the application is recorded."""
    over = claimed(approved(applicant, by=manager, finance=finance), "700.00", explanation="多一位")
    within = claimed(approved(applicant, by=manager, finance=finance, guest="李总"), "500.00")
    assert list(claims_waiting_for_head(sales_head)) == [over]
    assert list(claims_to_accept(finance)) == [within]
    assert not claims_waiting_for_head(manager).exists()


def test_both_queues_page_with_a_constant_number_of_queries(settings, client_for, applicant, manager, finance,
                                                            entertainment_budget):  # fmt: skip
    """EXP-17: 2 rows a page (setting), each list its own page parameter; more rows, no more queries."""
    settings.LIST_PAGE_SIZE = 2
    for index in range(3):
        filed(applicant, guest=f"客户{index}")
        claimed(approved(applicant, by=manager, finance=finance, guest=f"已批{index}", cost="100.00"), "90.00")
    approvals, finance_queue = client_for(manager), client_for(finance)
    approvals.get("/"), finance_queue.get("/")  # the first visit creates the settings rows
    before = (queries_of(approvals, "/fees/expense-approvals/"), queries_of(finance_queue, "/fees/expense-finance/"))
    for index in range(3, 7):
        filed(applicant, guest=f"客户{index}")
        claimed(approved(applicant, by=manager, finance=finance, guest=f"已批{index}", cost="100.00"), "90.00")
    after = (queries_of(approvals, "/fees/expense-approvals/"), queries_of(finance_queue, "/fees/expense-finance/"))
    assert after == before

    first = approvals.get("/fees/expense-approvals/").content.decode()
    assert "客户0" in first and "客户1" in first and "客户2" not in first and "1–2 of 7" in first
    last = approvals.get("/fees/expense-approvals/?applications_page=4&claims_page=9").content.decode()
    assert "客户6" in last and "客户0" not in last
    assert "?applications_page=3&amp;claims_page=9" in last  # the other list keeps its page
    bad = approvals.get("/fees/expense-approvals/?applications_page=x")
    assert bad.status_code == 200 and "客户0" in bad.content.decode()
    accept = finance_queue.get("/fees/expense-finance/?claims_page=4").content.decode()
    assert "已批6" in accept and "7 of 7" in accept


def test_my_work_shows_each_expense_card_to_whom_it_concerns(client_for, applicant, manager, sales_head, finance,
                                                            other_rep, entertainment_budget):  # fmt: skip
    """DSH-02: the superior sees what waits for approval, the applicant the claims to file with
    their deadline, the head the department's budget, finance its queue; the others none."""
    filed(applicant)
    approved(applicant, by=manager, guest="李总")
    with time_machine.travel(BEFORE_THE_EVENT, tick=False):
        superior = client_for(manager).get("/").content.decode()
        own = client_for(applicant).get("/").content.decode()
        head = client_for(sales_head).get("/").content.decode()
        money = client_for(finance).get("/").content.decode()
        colleague = client_for(other_rep).get("/").content.decode()
    assert 'id="panel-expense_approvals"' in superior and 'id="expense-approvals-count">1<' in superior
    assert 'id="panel-expense_claims_due"' in own and "2026-10-13" in own and "李总" in own
    assert 'id="panel-department_budget"' in head and "¥10,000.00" in head
    assert 'id="panel-expense_finance"' in money and 'id="expense-finance-count">1<' in money
    for page in (colleague, own):
        assert 'id="panel-expense_approvals"' not in page and 'id="panel-department_budget"' not in page
    assert 'id="panel-expense_claims_due"' not in colleague and 'id="panel-expense_finance"' not in colleague


def test_my_work_runs_the_same_queries_with_more_expenses(client_for, applicant, manager, entertainment_budget):
    """DSH-02: the cards' queries do not grow with the rows behind them."""
    filed(applicant)
    approved(applicant, by=manager, guest="李总")
    with time_machine.travel(BEFORE_THE_EVENT, tick=False):
        superior, own = client_for(manager), client_for(applicant)
        own.get("/")  # the first visit creates the settings rows the cards read
        before = (queries_of(superior, "/"), queries_of(own, "/"))
        for index in range(6):
            filed(applicant, guest=f"客户{index}")
            approved(applicant, by=manager, guest=f"已批{index}")
        assert (queries_of(superior, "/"), queries_of(own, "/")) == before


def test_a_receipt_whose_file_is_gone_is_a_404(client_for, applicant, manager, entertainment_budget):
    """EXP-17: the row outlived its file (a restore without media): a 404, never a 500."""
    claim = claimed(approved(applicant, by=manager), "500.00")
    receipt = claim.receipts.get()
    receipt.file.storage.delete(receipt.file.name)
    answer = client_for(applicant).get(f"/fees/claims/{claim.pk}/receipts/{receipt.pk}/")
    assert answer.status_code == 404
