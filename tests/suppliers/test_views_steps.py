"""The steps on a supplier's page (SUP-01 … SUP-07): a file walked from candidate to active through
the pages, and every refusal answered with the service's message, writing nothing."""

import pytest

from suppliers.models import Principle, Stage, SupplierScore, SupplierStep, SurveyFinding
from suppliers.models.documents import SURVEY_DOCUMENTS
from tests.suppliers.factories import pdf, register
from tests.suppliers.page_helpers import act_url, detail_url, page_text, snapshot

pytestmark = pytest.mark.django_db


# --- the walk through the pages ------------------------------------------------------------


def test_a_supplier_goes_from_candidate_to_active_through_the_pages(client_for, buyer, head, team, time_machine):
    """SUP-01 SUP-02 SUP-03 SUP-04 SUP-05 SUP-06 SUP-07: every step posted by the person who takes it."""
    time_machine.move_to("2026-07-01 10:00 +0800")
    supplier = register(buyer)
    procurement = client_for(buyer)

    def post(client, action, data, status=302):
        response = client.post(act_url(supplier, action), data)
        assert response.status_code == status, (action, page_text(response)[:3000])
        supplier.refresh_from_db()
        return response

    post(procurement, "advance", {"advance-note": ""})
    assert supplier.stage == Stage.GENERAL_SURVEY
    for kind in SURVEY_DOCUMENTS:
        post(procurement, "document", {"document-kind": kind, "document-file": pdf(f"{kind}.pdf")})
    post(procurement, "notes", {"notes-interview_notes": "产能稳定", "notes-technical_meeting_notes": "工艺成熟"})
    for principle in Principle.values:
        scorer = procurement if principle % 2 else client_for(team["quality"])
        post(scorer, "score", {"score-principle": principle, "score-result": "pass", "score-note": "符合"})
    assert SupplierScore.objects.filter(supplier=supplier).count() == 6
    post(procurement, "advance", {"advance-note": "一般调查完成"})
    assert supplier.stage == Stage.ONSITE_SURVEY

    for code, person in team.items():
        page = page_text(client_for(person).get(detail_url(supplier)))
        assert page.count('id="form-finding"') == 1
        post(
            client_for(person), "finding", {"finding-department": code, "finding-findings": "良好", "finding-score": 4}
        )
    post(
        procurement,
        "application",
        {
            "application-trading_reasons": "质量稳定",
            "application-trading_policy": "年度框架协议",
            "goods-TOTAL_FORMS": 3, "goods-INITIAL_FORMS": 0, "goods-MIN_NUM_FORMS": 0, "goods-MAX_NUM_FORMS": 50,
            "goods-0-item": "数控件", "goods-0-expected_amount": "120000.00",
            "goods-1-item": "铸件", "goods-1-expected_amount": "80000",
            "goods-2-item": "", "goods-2-expected_amount": "",
        },
    )  # fmt: skip
    assert [line.item for line in supplier.goods_lines.all()] == ["数控件", "铸件"]
    post(procurement, "advance", {"advance-note": ""})
    assert supplier.stage == Stage.APPROVAL and supplier.application_submitted_by == buyer

    html = page_text(client_for(head).get(detail_url(supplier)))
    assert 'id="approval-report"' in html and 'id="form-decide"' in html and "200,000.00" in html
    post(client_for(head), "decide", {"decide-decision": "approve", "decide-comment": "同意引入"})
    assert supplier.stage == Stage.APPROVED
    for kind in ("supply", "quality"):
        post(
            procurement, "contract", {"contract-kind": kind, "contract-signed_on": "2026-07-01", "contract-file": pdf()}
        )
    post(procurement, "advance", {"advance-note": ""})
    assert supplier.stage == Stage.CONTRACTED
    post(procurement, "activate", {"activate-payment_terms": "月结60天"})
    assert supplier.stage == Stage.ACTIVE and supplier.code == "SUP-2026-0001"
    html = page_text(procurement.get(detail_url(supplier)))
    assert 'id="form-suspend"' in html and "SUP-2026-0001" in html
    assert 'id="form-advance"' not in html and 'id="form-document"' not in html and 'id="form-reject"' not in html
    actions = list(SupplierStep.objects.filter(supplier=supplier).values_list("action", flat=True))
    assert actions[0] == "register" and actions[-1] == "activate"


def test_a_bad_goods_line_keeps_the_application_as_typed_and_writes_nothing(client_for, buyer, at):
    """SUP-05: an amount without its goods is refused, 400; the reasons and lines come back filled."""
    supplier = at(Stage.ONSITE_SURVEY)
    before = snapshot(supplier)
    data = {
        "application-trading_reasons": "价格合理", "application-trading_policy": "",
        "goods-TOTAL_FORMS": 2, "goods-INITIAL_FORMS": 0, "goods-MIN_NUM_FORMS": 0, "goods-MAX_NUM_FORMS": 50,
        "goods-0-item": "铝锭", "goods-0-expected_amount": "5000",
        "goods-1-item": "", "goods-1-expected_amount": "300",
    }  # fmt: skip
    response = client_for(buyer).post(act_url(supplier, "application"), data)
    assert response.status_code == 400
    html = page_text(response)
    assert "Name the goods of this amount." in html and "价格合理" in html and 'value="铝锭"' in html
    data["goods-1-expected_amount"] = ""
    data["goods-0-expected_amount"] = "0"
    response = client_for(buyer).post(act_url(supplier, "application"), data)
    assert response.status_code == 400 and "an expected amount in yuan, more than 0" in page_text(response)
    assert snapshot(supplier) == before
    supplier.refresh_from_db()
    assert supplier.trading_reasons == ""  # the reasons were not saved without their lines


def test_an_active_supplier_is_suspended_and_reactivated_keeping_its_code(client_for, buyer, at):
    """SUP-07: suspend and re-activate with a reason; the code stays."""
    supplier = at(Stage.ACTIVE)
    code = supplier.code
    client = client_for(buyer)
    assert client.post(act_url(supplier, "suspend"), {"suspend-reason": ""}).status_code == 400
    assert client.post(act_url(supplier, "suspend"), {"suspend-reason": "交期延误"}).status_code == 302
    supplier.refresh_from_db()
    assert supplier.is_suspended and supplier.code == code
    html = page_text(client.get(detail_url(supplier)))
    assert 'id="suspended-note"' in html and 'id="form-reactivate"' in html
    assert client.post(act_url(supplier, "reactivate"), {"reactivate-reason": "已整改"}).status_code == 302
    supplier.refresh_from_db()
    assert not supplier.is_suspended and supplier.code == code


def test_procurement_rejects_a_candidate_with_a_reason(client_for, buyer, at):
    """SUP-02: rejected at any open stage with a reason; the file is closed."""
    supplier = at(Stage.ONSITE_SURVEY)
    client = client_for(buyer)
    response = client.post(act_url(supplier, "reject"), {"reject-reason": ""})
    assert response.status_code == 400
    assert client.post(act_url(supplier, "reject"), {"reject-reason": "价格过高"}).status_code == 302
    supplier.refresh_from_db()
    assert supplier.stage == Stage.REJECTED and supplier.rejected_from == Stage.ONSITE_SURVEY
    html = page_text(client.get(detail_url(supplier)))
    assert "<form" not in html.split('id="stage-bar"')[1].split('id="timeline"')[0]


# --- refusals ------------------------------------------------------------------------------


def test_skipping_a_stage_is_refused_with_what_is_missing(client_for, buyer, at):
    """SUP-02 SUP-03: moving on with the general survey incomplete answers 400 with the missing list."""
    supplier = at(Stage.GENERAL_SURVEY)
    before = snapshot(supplier)
    response = client_for(buyer).post(act_url(supplier, "advance"), {"advance-note": ""})
    assert response.status_code == 400
    html = page_text(response)
    assert "The supplier cannot move on to the on-site survey stage yet" in html
    assert "Upload the company history 企业沿革." in html
    assert snapshot(supplier) == before


def test_an_application_is_not_advanced_past_the_head(client_for, buyer, at):
    """SUP-02 SUP-05: approval is the head's decision; advancing and activating early are refused."""
    supplier = at(Stage.APPROVAL)
    before = snapshot(supplier)
    client = client_for(buyer)
    response = client.post(act_url(supplier, "advance"), {"advance-note": ""})
    assert response.status_code == 400 and "The head of purchasing decides" in page_text(response)
    response = client.post(act_url(supplier, "activate"), {"activate-payment_terms": "月结"})
    assert response.status_code == 400 and "Only a supplier whose contracts are signed can be activated" in page_text(
        response
    )
    assert snapshot(supplier) == before


def test_procurement_cannot_decide_and_the_head_must_give_a_reason_to_reject(client_for, buyer, head, at):
    """SUP-05: only the head decides; a rejection needs a comment."""
    supplier = at(Stage.APPROVAL)
    before = snapshot(supplier)
    response = client_for(buyer).post(act_url(supplier, "decide"), {"decide-decision": "approve", "decide-comment": ""})
    assert response.status_code == 403
    assert "Only the head of purchasing decides on an approval application." in page_text(response)
    response = client_for(head).post(act_url(supplier, "decide"), {"decide-decision": "reject", "decide-comment": ""})
    assert response.status_code == 400 and "Say why the application is rejected." in page_text(response)
    assert snapshot(supplier) == before


def test_the_head_cannot_decide_before_the_application_is_submitted(client_for, head, at):
    """SUP-02 SUP-05: no approval while the on-site survey is open; the service's message, 400."""
    supplier = at(Stage.ONSITE_SURVEY)
    before = snapshot(supplier)
    response = client_for(head).post(act_url(supplier, "decide"), {"decide-decision": "approve", "decide-comment": ""})
    assert response.status_code == 400
    assert "There is no approval application to decide on" in page_text(response)
    assert snapshot(supplier) == before


def test_a_department_cannot_sign_for_another(client_for, at, team):
    """SUP-04: the technical department's staff posting the design department's findings are refused."""
    supplier = at(Stage.ONSITE_SURVEY)
    before = snapshot(supplier)
    response = client_for(team["technical"]).post(
        act_url(supplier, "finding"), {"finding-department": "design", "finding-findings": "代签", "finding-score": 5}
    )
    assert response.status_code == 403
    assert "Only the staff of a department sign its own findings." in page_text(response)
    assert not SurveyFinding.objects.exists() and snapshot(supplier) == before


def test_contracts_on_two_dates_are_refused(client_for, buyer, at, time_machine):
    """SUP-06: the second contract dated another day is refused on its field."""
    time_machine.move_to("2026-08-03 10:00 +0800")
    supplier = at(Stage.APPROVED)
    time_machine.move_to("2026-08-10 10:00 +0800")
    client = client_for(buyer)
    data = {"contract-kind": "supply", "contract-signed_on": "2026-08-10", "contract-file": pdf()}
    assert client.post(act_url(supplier, "contract"), data).status_code == 302
    before = snapshot(supplier)
    data = {"contract-kind": "quality", "contract-signed_on": "2026-08-09", "contract-file": pdf()}
    response = client.post(act_url(supplier, "contract"), data)
    assert response.status_code == 400
    assert "Both contracts are signed on the same day" in page_text(response)
    assert snapshot(supplier) == before


def test_a_step_that_is_no_longer_offered_still_says_why(client_for, buyer, at):
    """SUP-07: a document posted to an archived file: 400 with the service's message at the top."""
    supplier = at(Stage.ACTIVE)
    before = snapshot(supplier)
    response = client_for(buyer).post(
        act_url(supplier, "document"), {"document-kind": "history", "document-file": pdf()}
    )
    assert response.status_code == 400
    assert 'id="action-error"' in page_text(response) and "its file archived" in page_text(response)
    assert snapshot(supplier) == before


def test_an_unknown_step_is_404_and_a_get_is_not_allowed(client_for, buyer):
    """SUP-02: only the steps of the page, only by POST."""
    supplier = register(buyer)
    client = client_for(buyer)
    assert client.post(act_url(supplier, "teleport"), {}).status_code == 404
    assert client.get(act_url(supplier, "advance")).status_code == 405
