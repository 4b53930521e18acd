"""/api/v1/suppliers/ (SUP-01 … SUP-07, ORG-02): the contract's names, a file taken from
candidate to active through the API alone, every skip refused with 400 and nothing changed,
403 for a role that may never take a step, 404 for whoever may not see supplier files."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from crm_project.accounts.roles import Role
from suppliers.models import Stage, Supplier, SupplierDocument, SupplierGoodsLine, SupplierStep, SurveyFinding
from suppliers.models.documents import CONTRACTS, SURVEY_DOCUMENTS
from suppliers.services.register import supplier_update
from tests.factories import UserFactory

from .factories import EXE_BYTES, PDF_BYTES, credit_code, pdf, sign_all, upload

MOMENT = datetime(2026, 5, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
CONTRACT = {
    "id", "name", "credit_code", "legal_representative", "goods", "stage", "code", "payment_terms",
    "interview_notes", "technical_meeting_notes", "trading_reasons",
}  # fmt: skip
BASE = "/api/v1/suppliers/"


def api(user=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def url(supplier, action: str = "") -> str:
    return f"{BASE}{supplier.pk}/{action + '/' if action else ''}"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(MOMENT, tick=False):
        yield


def snapshot(supplier) -> tuple:
    """Everything a refused step must leave as it was."""
    fresh = Supplier.objects.get(pk=supplier.pk)
    return (
        fresh.stage, fresh.code, fresh.payment_terms, fresh.interview_notes, fresh.trading_reasons, fresh.address,
        fresh.decided_at, SupplierStep.objects.filter(supplier=supplier).count(),
        SupplierDocument.objects.filter(supplier=supplier).count(),
        SurveyFinding.objects.filter(supplier=supplier).count(),
        list(SupplierGoodsLine.objects.filter(supplier=supplier).values_list("item", "expected_amount")),
    )  # fmt: skip


def refused(response, status: int = 400) -> str:
    assert response.status_code == status, (response.status_code, response.content)
    body = response.json()
    assert body["detail"]
    return body["detail"]


def test_a_candidate_becomes_an_active_supplier_through_the_api(buyer, team, head):
    """SUP-01 SUP-02 SUP-03 SUP-04 SUP-05 SUP-06 SUP-07: each step by its own person; the code
    only once active."""
    procurement = api(buyer)
    response = procurement.post(
        BASE,
        {"name": "华盛（深圳）精密有限公司", "credit_code": credit_code(7), "legal_representative": "李四",
         "goods": "精密轴承", "address": "深圳市南山区", "source": "exhibition"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    data = response.json()
    assert set(data) >= CONTRACT
    assert (data["stage"], data["code"], data["registered_by"]) == ("candidate", None, "buyer")
    supplier = Supplier.objects.get(pk=data["id"])

    def step(client, action, body=None, *, format="json"):
        response = client.post(url(supplier, action), body or {}, format=format)
        assert response.status_code == 200, (action, response.json())
        return response.json()

    assert step(procurement, "advance", {"note": "开始调查"})["stage"] == "general_survey"
    for kind in SURVEY_DOCUMENTS:
        step(procurement, "documents", {"kind": kind, "file": pdf(f"{kind}.pdf")}, format="multipart")
    data = step(procurement, "documents", {"kind": "history", "file": pdf("history-v2.pdf")}, format="multipart")
    history = [row for row in data["documents"] if row["kind"] == "history"]
    assert [row["version"] for row in history] == [2, 1]
    assert history[0]["original_name"] == "history-v2.pdf" and history[0]["uploaded_by"] == "buyer"
    response = procurement.patch(
        url(supplier), {"interview_notes": "生产稳定", "technical_meeting_notes": "技术交流顺利"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["interview_notes"] == "生产稳定"
    assert response.json()["missing"], "the principles are not scored yet"
    for principle in range(1, 7):
        data = step(api(team["quality"]) if principle == 6 else procurement, "scores",
                    {"principle": principle, "result": "pass", "note": "符合要求"})  # fmt: skip
    assert data["missing"] == [] and len(data["scores"]) == 6
    assert step(procurement, "advance")["stage"] == "onsite_survey"

    for code, person in team.items():
        data = step(api(person), "findings", {"department": code, "findings": "现场良好", "score": 4})
    assert {row["department"]: row["signed_by"] for row in data["findings"]} == {
        code: person.username for code, person in team.items()
    }
    response = procurement.patch(
        url(supplier),
        {"trading_reasons": "质量稳定，价格合理", "trading_policy": "年度框架合同",
         "goods_lines": [{"item": "精密轴承", "expected_amount": "1200000.00"}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response.json()["goods_lines"] == [{"item": "精密轴承", "expected_amount": "1200000.00"}]
    data = step(procurement, "advance")
    assert data["stage"] == "approval" and data["application_submitted_by"] == "buyer"

    data = step(api(head), "decide", {"decision": "approve", "comment": "同意"})
    assert (data["stage"], data["decided_by"], data["decision_comment"]) == ("approved", "purchasing_head", "同意")
    for kind in ("supply", "quality"):
        data = step(procurement, "contracts", {"kind": kind, "signed_on": "2026-05-12", "file": pdf()},
                    format="multipart")  # fmt: skip
    contracts = {row["kind"]: row["signed_on"] for row in data["documents"] if row["signed_on"]}
    assert contracts == {"supply_contract": "2026-05-12", "quality_contract": "2026-05-12"}
    assert step(procurement, "advance")["stage"] == "contracted"
    data = step(procurement, "activate", {"payment_terms": "月结60天"})
    assert (data["stage"], data["code"], data["payment_terms"]) == ("active", "SUP-2026-0001", "月结60天")
    assert [row["action"] for row in data["steps"]][:2] == ["register", "advance"]
    assert data["steps"][-1]["action"] == "activate" and data["steps"][-1]["user"] == "buyer"

    data = step(procurement, "suspend", {"reason": "交期延误"})
    assert data["suspended_at"] and data["code"] == "SUP-2026-0001"
    data = step(api(head), "reactivate", {"reason": "已整改"})
    assert data["suspended_at"] is None and data["code"] == "SUP-2026-0001"


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (Stage.GENERAL_SURVEY, "Upload the company history"),
        (Stage.ONSITE_SURVEY, "Waiting for the on-site findings of"),
        (Stage.APPROVAL, "The head of purchasing decides"),
        (Stage.APPROVED, "Upload the signed supply contract"),
        (Stage.CONTRACTED, "Activate the supplier"),
    ],
)
def test_advancing_an_incomplete_stage_says_what_is_missing_and_changes_nothing(at, buyer, stage, expected):
    """SUP-02 SUP-03 SUP-04 SUP-05 SUP-06: no stage is skipped; the 400 lists what is missing."""
    supplier = at(stage)
    before = snapshot(supplier)
    detail = refused(api(buyer).post(url(supplier, "advance"), {}, format="json"))
    assert expected in detail
    assert snapshot(supplier) == before
    assert api(buyer).get(url(supplier)).json()["missing"]


@pytest.mark.parametrize("stage", [Stage.ACTIVE, "rejected"])
def test_a_closed_file_does_not_move(at, buyer, stage):
    """SUP-02 SUP-07: an active supplier's file is archived, a rejected one closed."""
    supplier = at(Stage.ACTIVE if stage == Stage.ACTIVE else Stage.GENERAL_SURVEY)
    if stage == "rejected":
        assert api(buyer).post(url(supplier, "reject"), {"reason": "资质不符"}, format="json").status_code == 200
    before = snapshot(supplier)
    for action, body in [("advance", {}), ("reject", {"reason": "x"}), ("activate", {"payment_terms": "现金"})]:
        refused(api(buyer).post(url(supplier, action), body, format="json"))
    refused(api(buyer).patch(url(supplier), {"address": "新地址"}, format="json"))
    assert snapshot(supplier) == before


def test_steps_out_of_their_stage_are_refused(at, buyer, head, team, technical):
    """SUP-02 SUP-04 SUP-05 SUP-07: findings before the on-site survey, a decision before the
    application, activation before the contracts — each 400 and nothing changed."""
    early = at(Stage.GENERAL_SURVEY)
    before = snapshot(early)
    refused(api(technical).post(url(early, "findings"), {"department": "technical", "findings": "好", "score": 4},
                                format="json"))  # fmt: skip
    refused(api(head).post(url(early, "decide"), {"decision": "approve", "comment": "同意"}, format="json"))
    assert snapshot(early) == before

    approved = at(Stage.APPROVED)
    before = snapshot(approved)
    detail = refused(api(buyer).post(url(approved, "activate"), {"payment_terms": "月结30天"}, format="json"))
    assert "contracts" in detail
    assert snapshot(approved) == before
    assert Supplier.objects.get(pk=approved.pk).code is None


def test_contracts_signed_on_two_days_are_refused(at, buyer):
    """SUP-06: both contracts are signed on the same day."""
    supplier = at(Stage.APPROVED)
    client = api(buyer)
    today = MOMENT.date()
    first = client.post(url(supplier, "contracts"), {"kind": "supply", "signed_on": today.isoformat(),
                                                     "file": pdf()}, format="multipart")  # fmt: skip
    assert first.status_code == 200, first.json()
    before = snapshot(supplier)
    response = client.post(
        url(supplier, "contracts"),
        {"kind": "quality", "signed_on": (today - timedelta(days=1)).isoformat(), "file": pdf()},
        format="multipart",
    )
    assert "signed_on" in response.json()
    refused(response)
    assert snapshot(supplier) == before
    refused(client.post(url(supplier, "advance"), {}, format="json"))
    assert Supplier.objects.get(pk=supplier.pk).stage == Stage.APPROVED


def test_nobody_signs_for_another_department(at, technical, buyer):
    """SUP-04: the technical department's staff cannot sign the design department's findings,
    nor procurement any department's."""
    supplier = at(Stage.ONSITE_SURVEY)
    before = snapshot(supplier)
    body = {"department": "design", "findings": "替设计部签字", "score": 5}
    refused(api(technical).post(url(supplier, "findings"), body, format="json"), 403)
    refused(api(buyer).post(url(supplier, "findings"), body, format="json"), 403)
    assert snapshot(supplier) == before


def test_the_applicant_does_not_decide_on_their_own_application(at, team, procurement_department):
    """SUP-05: procurement cannot approve its own application, even holding the head's role."""
    both = UserFactory(username="buyer_head", department=procurement_department,
                       roles=[Role.PROCUREMENT, Role.PURCHASING_HEAD])  # fmt: skip
    supplier = at(Stage.ONSITE_SURVEY)
    sign_all(supplier, team)
    supplier_update(actor=both, supplier=supplier, trading_reasons="价格合理")
    response = api(both).post(url(supplier, "advance"), {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "approval"
    before = snapshot(supplier)
    refused(api(both).post(url(supplier, "decide"), {"decision": "approve", "comment": "同意"}, format="json"), 403)
    assert snapshot(supplier) == before


def test_procurement_may_not_decide(at, buyer):
    """SUP-05: the head of purchasing decides; anyone else is a 403."""
    supplier = at(Stage.APPROVAL)
    before = snapshot(supplier)
    refused(api(buyer).post(url(supplier, "decide"), {"decision": "approve"}, format="json"), 403)
    assert snapshot(supplier) == before


def test_a_rejection_by_the_head_needs_a_comment(at, head):
    """SUP-05: the head rejects with a comment; the file is closed."""
    supplier = at(Stage.APPROVAL)
    refused(api(head).post(url(supplier, "decide"), {"decision": "reject"}, format="json"))
    response = api(head).post(url(supplier, "decide"), {"decision": "reject", "comment": "价格过高"}, format="json")
    assert response.status_code == 200 and response.json()["stage"] == "rejected"
    assert response.json()["rejected_from"] == "approval"


def test_a_renamed_executable_is_refused_as_a_document(at, buyer):
    """SUP-07: the type is read from the content, not from the name."""
    supplier = at(Stage.GENERAL_SURVEY)
    response = api(buyer).post(url(supplier, "documents"), {"kind": "profile", "file": upload("profile.pdf",
                               EXE_BYTES)}, format="multipart")  # fmt: skip
    refused(response)
    assert "file" in response.json()
    assert not SupplierDocument.objects.filter(supplier=supplier).exists()


def test_an_oversized_document_is_refused(at, buyer, settings):
    """SUP-07: the size limit is a setting; over it is a 400, nothing stored."""
    settings.SUPPLIER_DOCUMENT_MAX_MB = 1
    supplier = at(Stage.GENERAL_SURVEY)
    big = upload("catalogue.pdf", PDF_BYTES + b"0" * (1024 * 1024 + 1))
    response = api(buyer).post(url(supplier, "documents"), {"kind": "catalogue", "file": big}, format="multipart")
    refused(response)
    assert "file" in response.json()
    assert not SupplierDocument.objects.filter(supplier=supplier).exists()


def test_an_unknown_document_kind_is_refused(at, buyer):
    """SUP-03: the five documents by their names; a contract goes through contracts/."""
    supplier = at(Stage.GENERAL_SURVEY)
    for kind in ("supply_contract", "passport", ""):
        response = api(buyer).post(url(supplier, "documents"), {"kind": kind, "file": pdf()}, format="multipart")
        refused(response)
    refused(api(buyer).post(url(supplier, "documents"), {"kind": "history"}, format="multipart"))
    assert not SupplierDocument.objects.filter(supplier=supplier).exists()


def test_a_company_registered_twice_is_refused_with_the_first_file(at, buyer):
    """SUP-02: duplicates by credit code and by normalised name, with a link to the first."""
    first = at(Stage.GENERAL_SURVEY, name="华盛（深圳）科技有限公司")
    body = {"name": "另一家公司", "credit_code": first.credit_code, "legal_representative": "赵六", "goods": "螺丝"}
    response = api(buyer).post(BASE, body, format="json")
    refused(response)
    assert response.json()["existing"]["id"] == first.pk and "credit_code" in response.json()
    body = {**body, "name": "华盛(深圳)科技 有限公司", "credit_code": credit_code(4242)}
    response = api(buyer).post(BASE, body, format="json")
    refused(response)
    assert response.json()["existing"]["id"] == first.pk and "name" in response.json()
    response = api(buyer).post(BASE, {**body, "name": "新公司", "credit_code": "91440300MA5XXXXX1"}, format="json")
    refused(response)
    assert "credit_code" in response.json()
    assert Supplier.objects.count() == 1


def test_a_refused_patch_changes_nothing(at, buyer):
    """SUP-03 SUP-05: a PATCH is all or nothing — the details are not kept when the goods list
    is refused, and a note of another stage is refused."""
    supplier = at(Stage.APPROVAL)
    before = snapshot(supplier)
    body = {"address": "新地址", "goods_lines": [{"item": "轴承", "expected_amount": "100.00"}]}
    refused(api(buyer).patch(url(supplier), body, format="json"))
    refused(api(buyer).patch(url(supplier), {"interview_notes": "改写"}, format="json"))
    refused(api(buyer).patch(url(supplier), {"goods_lines": [{"item": "轴承", "expected_amount": "0"}]},
                             format="json"))  # fmt: skip
    assert snapshot(supplier) == before
    assert api(buyer).put(url(supplier), {"address": "x"}, format="json").status_code == 405


def test_the_list_filters_and_runs_a_constant_number_of_queries(at, buyer):
    """SUP-02 ORG-02: filters by stage, code and credit code; the queries do not grow with rows."""
    active = at(Stage.ACTIVE)
    at(Stage.GENERAL_SURVEY)
    client = api(buyer)
    with CaptureQueriesContext(connection) as few:
        assert client.get(BASE).status_code == 200
    at(Stage.ONSITE_SURVEY)
    at(Stage.APPROVED)
    with CaptureQueriesContext(connection) as more:
        rows = client.get(BASE).json()["results"]
    assert len(rows) == 4
    assert len(more) == len(few)
    assert [row["id"] for row in client.get(BASE, {"stage": "active"}).json()["results"]] == [active.pk]
    assert [row["id"] for row in client.get(BASE, {"code": active.code}).json()["results"]] == [active.pk]
    spaced = f"{active.credit_code[:6]} {active.credit_code[6:].lower()}"
    assert [row["id"] for row in client.get(BASE, {"credit_code": spaced}).json()["results"]] == [active.pk]
    assert client.get(BASE, {"stage": "nonsense"}).status_code == 400


WRITES = [
    ("patch", "", {"address": "新地址"}),
    ("post", "advance", {}),
    ("post", "reject", {"reason": "不合适"}),
    ("post", "decide", {"decision": "approve", "comment": "同意"}),
    ("post", "activate", {"payment_terms": "现金"}),
    ("post", "suspend", {"reason": "暂停"}),
    ("post", "reactivate", {"reason": "恢复"}),
    ("post", "documents", {"kind": "history"}),
    ("post", "contracts", {"kind": "supply", "signed_on": "2026-05-12"}),
    ("post", "scores", {"principle": 1, "result": "pass", "note": "好"}),
    ("post", "findings", {"department": "technical", "findings": "好", "score": 4}),
]


def _write(client, supplier, method, action, body):
    if action in ("documents", "contracts"):
        return client.post(url(supplier, action), {**body, "file": pdf()}, format="multipart")
    return getattr(client, method)(url(supplier, action), body, format="json")


@pytest.mark.parametrize("who", ["rep", "outsider", "finance"])
def test_those_outside_supplier_files_see_nothing_of_them(who, request, at):
    """ORG-02: a sales rep, an operations user and finance get an empty list, 404 on every
    supplier and every action, 403 on registering."""
    person = request.getfixturevalue(who)
    supplier = at(Stage.ACTIVE)
    client = api(person)
    before = snapshot(supplier)
    response = client.get(BASE)
    assert response.status_code == 200 and response.json()["results"] == []
    assert client.get(url(supplier)).status_code == 404
    for method, action, body in WRITES:
        assert _write(client, supplier, method, action, body).status_code == 404, action
    body = {"name": "外人公司", "credit_code": credit_code(99), "legal_representative": "某", "goods": "某物"}
    assert client.post(BASE, body, format="json").status_code == 403
    assert snapshot(supplier) == before and Supplier.objects.count() == 1


def test_an_anonymous_client_is_asked_to_sign_in_everywhere(at):
    """ORG-02: 401 on every supplier endpoint."""
    supplier = at(Stage.GENERAL_SURVEY)
    client = api()
    assert client.get(BASE).status_code == 401
    assert client.get(url(supplier)).status_code == 401
    assert client.post(BASE, {}, format="json").status_code == 401
    for method, action, body in WRITES:
        assert _write(client, supplier, method, action, body).status_code == 401, action
    assert client.get("/api/v1/supplier-payment-terms/").status_code == 401


def test_management_reads_but_writes_nothing(at, gm):
    """ORG-02: management sees supplier files read-only; every write is a 403."""
    supplier = at(Stage.ONSITE_SURVEY)
    client = api(gm)
    assert [row["id"] for row in client.get(BASE).json()["results"]] == [supplier.pk]
    assert client.get(url(supplier)).json()["stage"] == "onsite_survey"
    before = snapshot(supplier)
    for method, action, body in WRITES:
        assert _write(client, supplier, method, action, body).status_code == 403, action
    body = {"name": "管理层公司", "credit_code": credit_code(98), "legal_representative": "某", "goods": "某物"}
    assert client.post(BASE, body, format="json").status_code == 403
    assert snapshot(supplier) == before and Supplier.objects.count() == 1


def test_finance_reads_only_the_payment_terms_of_active_suppliers(at, finance, rep, outsider):
    """ORG-02 SUP-07: finance sees the code, name and payment terms of active suppliers."""
    active = at(Stage.ACTIVE)
    open_file = at(Stage.APPROVED)
    rows = api(finance).get("/api/v1/supplier-payment-terms/").json()["results"]
    assert rows == [{"id": active.pk, "code": active.code, "name": active.name, "payment_terms": "月结60天"}]
    assert api(finance).get(f"/api/v1/supplier-payment-terms/{open_file.pk}/").status_code == 404
    for person in (rep, outsider):
        assert api(person).get("/api/v1/supplier-payment-terms/").json()["results"] == []
        assert api(person).get(f"/api/v1/supplier-payment-terms/{active.pk}/").status_code == 404


def test_contract_dates_in_the_future_or_before_the_approval_are_refused(at, buyer):
    """SUP-06: a contract is signed after the approval and not in the future."""
    supplier = at(Stage.APPROVED)
    for day in (date(2026, 5, 13), date(2026, 5, 1)):
        response = api(buyer).post(url(supplier, "contracts"), {"kind": "supply", "signed_on": day.isoformat(),
                                   "file": pdf()}, format="multipart")  # fmt: skip
        refused(response)
    assert not SupplierDocument.objects.filter(supplier=supplier, kind__in=CONTRACTS).exists()


def test_a_supplier_reads_in_a_constant_number_of_queries(at, buyer):
    """SUP-07 ORG-02: more documents, versions and steps do not cost more queries."""
    client = api(buyer)
    small = at(Stage.GENERAL_SURVEY)
    large = at(Stage.ACTIVE)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(small)).status_code == 200
    with CaptureQueriesContext(connection) as more:
        data = client.get(url(large)).json()
    assert len(data["documents"]) == 7 and len(data["steps"]) > 5
    assert len(more) == len(few)
