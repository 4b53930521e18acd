"""EXP-16, EXP-17, ORG-02: the budget, adjustment, expense application and claim API with the
names of issue 13 §8 — a refusal is 400 with the reason, a role that may never act 403, and
neither changes anything."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from crm_project.accounts.tokens.services import token_issue
from expenses.models import (
    ApplicationApproval,
    ApplicationStatus,
    Budget,
    BudgetAdjustment,
    BudgetEntry,
    BudgetStatus,
    ClaimReceipt,
    ClaimStatus,
    ExpenseApplication,
    ExpenseClaim,
)
from tests.expenses.budgets import approved, approved_budget, filed

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 8
FILED_ON = datetime.datetime(2026, 9, 21, 10, 0)
AFTER_THE_EVENT = datetime.datetime(2026, 9, 29, 10, 0)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def receipt(name="receipt.png", content=PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def claim(application, amount: str, *receipts, **fields) -> dict:
    """A multipart claim body: `receipts` repeated once per file."""
    return {"application": application.pk, "amount": amount, "receipts": list(receipts), **fields}


# --- budgets and adjustments ------------------------------------------------------------------


def test_finance_prepares_a_budget_and_management_approves_it(sales, finance, gm):
    """EXP-16: the contract names, money as decimal strings, the figures derived; the wrong
    role answers 403 and changes nothing."""
    body = {"year": 2026, "department": "sales", "category": "gifts", "amount": "5000.00"}
    assert api(gm).post("/api/v1/budgets/", body, format="json").status_code == 403
    assert not Budget.objects.filter(category__code="gifts").exists()
    created = api(finance).post("/api/v1/budgets/", body, format="json")
    assert created.status_code == 201, created.json()
    line = created.json()
    assert {key: line[key] for key in ("year", "department", "category", "amount", "status", "in_force")} == {
        "year": 2026, "department": "sales", "category": "gifts", "amount": "5000.00", "status": "draft",
        "in_force": "0.00",
    }  # fmt: skip
    again = api(finance).post("/api/v1/budgets/", body, format="json")
    assert again.status_code == 400 and "already has" in again.json()["detail"]

    assert api(finance).post(f"/api/v1/budgets/{line['id']}/approve/").status_code == 403
    assert Budget.objects.get(pk=line["id"]).status == BudgetStatus.DRAFT
    answer = api(gm).post(f"/api/v1/budgets/{line['id']}/approve/")
    assert answer.status_code == 200
    assert {key: answer.json()[key] for key in ("status", "in_force", "committed", "spent", "remaining")} == {
        "status": "approved", "in_force": "5000.00", "committed": "0.00", "spent": "0.00", "remaining": "5000.00",
    }  # fmt: skip
    assert api(gm).post(f"/api/v1/budgets/{line['id']}/approve/").status_code == 400


def test_an_adjustment_may_be_negative_and_counts_once_approved(sales, finance, gm):
    """EXP-16: {budget, amount, reason}; a cut lowers the budget in force after approval."""
    budget = approved_budget(sales, code="gifts", amount="5000.00")
    missing_reason = api(finance).post("/api/v1/budget-adjustments/", {"budget": budget.pk, "amount": "-1000.00",
                                                                        "reason": ""}, format="json")  # fmt: skip
    assert missing_reason.status_code == 400 and not BudgetAdjustment.objects.exists()
    created = api(finance).post("/api/v1/budget-adjustments/", {"budget": budget.pk, "amount": "-1000.00",
                                                                 "reason": "展会取消"}, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "draft" and created.json()["amount"] == "-1000.00"
    pk = created.json()["id"]
    assert api(finance).post(f"/api/v1/budget-adjustments/{pk}/approve/").status_code == 403
    assert api(gm).post(f"/api/v1/budget-adjustments/{pk}/approve/").json()["status"] == "approved"
    assert api(gm).get(f"/api/v1/budgets/{budget.pk}/").json()["in_force"] == "4000.00"


# --- applications -----------------------------------------------------------------------------


def test_an_application_above_the_meal_cap_through_its_three_approvals(
    applicant, manager, sales_head, gm, finance, entertainment_budget
):
    """EXP-17: ¥600.03 for three is above ¥200 a head, so `needs` lists the superior, the
    department head and the general manager in turn; finance records it; wrong order is 400."""
    body = {"category": "entertainment", "event_date": "2026-09-28", "guest": "王总", "organisation": "华盛贸易",
            "reason": "商务洽谈", "persons": 3, "estimated_cost": "600.03"}  # fmt: skip
    with time_machine.travel(FILED_ON, tick=False):
        created = api(applicant).post("/api/v1/expense-applications/", body, format="json")
    assert created.status_code == 201, created.json()
    application = created.json()
    assert application["status"] == "pending" and application["approvals"] == []
    assert application["needs"] == ["superior", "department_head", "general_manager"]
    base = f"/api/v1/expense-applications/{application['id']}"

    first = api(manager).post(f"{base}/approve/").json()
    assert [(given["role"], given["user"]) for given in first["approvals"]] == [("superior", manager.username)]
    assert first["approvals"][0]["at"] and first["needs"] == ["department_head", "general_manager"]
    early = api(gm).post(f"{base}/approve/")
    assert early.status_code == 400 and "department head" in early.json()["detail"]
    assert ApplicationApproval.objects.filter(application_id=application["id"]).count() == 1
    assert api(sales_head).post(f"{base}/approve/").json()["needs"] == ["general_manager"]
    done = api(gm).post(f"{base}/approve/").json()
    assert done["status"] == "approved" and done["needs"] == []

    assert api(applicant).post(f"{base}/record/").status_code == 403
    assert api(finance).post(f"{base}/record/").json()["status"] == "recorded"


def test_an_application_after_its_event_or_beyond_the_budget_is_refused(
    applicant, manager, sales, entertainment_budget
):
    """EXP-17: an event already past is refused (nothing filed); EXP-16: the approval that
    would exceed the budget is 400 with the remaining amount, and the application waits."""
    late = {"category": "entertainment", "event_date": "2026-09-20", "guest": "王总", "organisation": "华盛",
            "reason": "洽谈", "persons": 2, "estimated_cost": "300.00"}  # fmt: skip
    with time_machine.travel(FILED_ON, tick=False):
        answer = api(applicant).post("/api/v1/expense-applications/", late, format="json")
    assert answer.status_code == 400 and "already taken place" in answer.json()["event_date"][0]
    assert not ExpenseApplication.objects.exists()

    application = filed(applicant, cost="10000.01", persons=60)
    refused = api(manager).post(f"/api/v1/expense-applications/{application.pk}/approve/")
    assert refused.status_code == 400 and "¥10,000.00 remains" in refused.json()["detail"]
    assert ExpenseApplication.objects.get(pk=application.pk).status == ApplicationStatus.PENDING
    assert not ApplicationApproval.objects.exists() and not BudgetEntry.objects.exists()


def test_a_rejection_needs_a_comment_and_only_the_approver_it_waits_for(applicant, manager, finance,
                                                                        entertainment_budget):  # fmt: skip
    """EXP-17: reject/ {comment} — an empty comment is 400, a stranger 403."""
    application = filed(applicant)
    base = f"/api/v1/expense-applications/{application.pk}"
    assert api(manager).post(f"{base}/reject/", {"comment": ""}, format="json").status_code == 400
    assert api(finance).post(f"{base}/reject/", {"comment": "不行"}, format="json").status_code == 403
    assert ExpenseApplication.objects.get(pk=application.pk).status == ApplicationStatus.PENDING
    rejected = api(manager).post(f"{base}/reject/", {"comment": "预算另议"}, format="json").json()
    assert rejected["status"] == "rejected" and rejected["comment"] == "预算另议" and rejected["needs"] == []


# --- claims -----------------------------------------------------------------------------------


def test_a_claim_with_receipts_through_token_auth_and_finance_accepts_it(
    applicant, manager, finance, entertainment_budget
):
    """EXP-17: multipart `receipts` checked by content (a program named .png is 400, nothing
    stored); finance's accept/ posts the spend (EXP-16); the applicant may not accept."""
    application = approved(applicant, by=manager, finance=finance)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    _, key = token_issue(user=applicant, name="expense app")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with time_machine.travel(AFTER_THE_EVENT, tick=False):
        bad = client.post(
            "/api/v1/expense-claims/", claim(application, "580.00", receipt(content=PROGRAM)), format="multipart"
        )
        assert bad.status_code == 400 and "receipts" in bad.json()
        assert not ExpenseClaim.objects.exists() and not ClaimReceipt.objects.exists()
        none = client.post("/api/v1/expense-claims/", {"application": application.pk, "amount": "580.00"},
                           format="multipart")  # fmt: skip
        assert none.status_code == 400 and not ExpenseClaim.objects.exists()
        good = client.post(
            "/api/v1/expense-claims/", claim(application, "580.00", receipt(), receipt("b.png")), format="multipart"
        )
    assert good.status_code == 201, good.json()
    filed_claim = good.json()
    assert filed_claim["status"] == "filed" and filed_claim["due_by"] == "2026-10-13"
    assert len(filed_claim["receipts"]) == 2
    browser = Client()
    browser.force_login(applicant)
    download = browser.get(filed_claim["receipts"][0]["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG

    base = f"/api/v1/expense-claims/{filed_claim['id']}"
    assert api(applicant).post(f"{base}/accept/").status_code == 403
    assert api(manager).post(f"{base}/approve/").status_code == 403
    accepted = api(finance).post(f"{base}/accept/").json()
    assert accepted["status"] == "accepted" and accepted["accepted_by"] == finance.username
    assert api(finance).get(f"/api/v1/budgets/{entertainment_budget.pk}/").json()["spent"] == "580.00"


def test_an_over_estimate_claim_needs_an_explanation_and_the_heads_approval(
    applicant, manager, sales_head, finance, entertainment_budget
):
    """EXP-17: above the estimate without explanation is 400; with one it waits for the head
    (finance's accept is 400 until then), then finance accepts; reject/ needs a comment."""
    application = approved(applicant, by=manager, finance=finance)
    with time_machine.travel(AFTER_THE_EVENT, tick=False):
        unexplained = api(applicant).post(
            "/api/v1/expense-claims/", claim(application, "650.00", receipt()), format="multipart"
        )
        assert unexplained.status_code == 400 and "explanation" in unexplained.json()
        explained = api(applicant).post(
            "/api/v1/expense-claims/",
            claim(application, "650.00", receipt(), explanation="多一位客人"),
            format="multipart",
        )
    assert explained.status_code == 201, explained.json()
    base = f"/api/v1/expense-claims/{explained.json()['id']}"
    assert api(finance).post(f"{base}/accept/").status_code == 400
    assert api(finance).post(f"{base}/reject/", {"comment": ""}, format="json").status_code == 400
    assert ExpenseClaim.objects.get().status == ClaimStatus.FILED
    assert api(sales_head).post(f"{base}/approve/").json()["status"] == "approved"
    assert api(finance).post(f"{base}/accept/").json()["status"] == "accepted"


def test_a_late_claim_is_refused_until_finance_allows_it(applicant, manager, finance, entertainment_budget):
    """EXP-17: after 13 October (7 working days across National Day) the claim is 400 with
    the deadline; allow-late-claim/ {reason} by finance lets it through."""
    application = approved(applicant, by=manager, finance=finance)
    with time_machine.travel(datetime.datetime(2026, 10, 14, 10, 0), tick=False):
        late = api(applicant).post(
            "/api/v1/expense-claims/", claim(application, "500.00", receipt()), format="multipart"
        )
        assert late.status_code == 400 and "2026-10-13" in late.json()["detail"]
        base = f"/api/v1/expense-applications/{application.pk}"
        assert api(applicant).post(f"{base}/allow-late-claim/", {"reason": "出差"}, format="json").status_code == 403
        allowed = api(finance).post(f"{base}/allow-late-claim/", {"reason": "出差在外"}, format="json")
        assert allowed.status_code == 200 and allowed.json()["late_claim_reason"] == "出差在外"
        again = api(applicant).post(
            "/api/v1/expense-claims/", claim(application, "500.00", receipt()), format="multipart"
        )
    assert again.status_code == 201 and ExpenseClaim.objects.get().late


# --- access and queries -----------------------------------------------------------------------


def test_outsiders_see_none_of_it(applicant, manager, finance, outsider, other_rep, entertainment_budget):
    """ORG-02: another department and a colleague without oversight: empty lists, 404 on each
    record, 403 on preparing a budget; nothing written."""
    application = approved(applicant, by=manager, finance=finance)
    with time_machine.travel(AFTER_THE_EVENT, tick=False):
        filed_claim = (
            api(applicant)
            .post("/api/v1/expense-claims/", claim(application, "500.00", receipt()), format="multipart")
            .json()
        )
    adjustment = BudgetAdjustment.objects.create(budget=entertainment_budget, amount=Decimal("100"), reason="x")
    records = {"budgets": entertainment_budget.pk, "budget-adjustments": adjustment.pk,
               "expense-applications": application.pk, "expense-claims": filed_claim["id"]}  # fmt: skip
    for person in (outsider, other_rep):
        client = api(person)
        for path, pk in records.items():
            assert client.get(f"/api/v1/{path}/").json()["results"] == [], (person, path)
            assert client.get(f"/api/v1/{path}/{pk}/").status_code == 404
            assert client.post(f"/api/v1/{path}/{pk}/approve/").status_code == 404
    body = {"year": 2027, "department": "sales", "category": "gifts", "amount": "1.00"}
    assert api(outsider).post("/api/v1/budgets/", body, format="json").status_code == 403
    assert not Budget.objects.filter(category__code="gifts").exists()
    assert ExpenseClaim.objects.get().status == ClaimStatus.FILED


def _list_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_lists_run_a_constant_number_of_queries(applicant, manager, finance, sales, entertainment_budget):
    """EXP-16, EXP-17: one more row of each kind costs no query on any of the four lists."""
    client = api(finance)
    paths = ("/api/v1/budgets/", "/api/v1/budget-adjustments/", "/api/v1/expense-applications/",
             "/api/v1/expense-claims/")  # fmt: skip

    def one_more_of_each(code):
        budget = approved_budget(sales, code=code)
        BudgetAdjustment.objects.create(budget=budget, amount=Decimal("10"), reason="补充")
        application = approved(applicant, by=manager, finance=finance, cost="100.00")
        with time_machine.travel(AFTER_THE_EVENT, tick=False):
            body = claim(application, "90.00", receipt())
            assert api(applicant).post("/api/v1/expense-claims/", body, format="multipart").status_code == 201

    one_more_of_each("gifts")
    before = [_list_queries(client, path) for path in paths]
    one_more_of_each("events")
    one_more_of_each("visits")
    assert [_list_queries(client, path) for path in paths] == before
