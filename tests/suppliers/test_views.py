"""The supplier pages (SUP-01 … SUP-07, ORG-02): the list with its filters and export, registering
a candidate, the supplier's page with its stage bar and the forms of each step, refusals with the
service's message, downloads, the supplier file, finance's payment terms and "My work"."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from crm_project.core.models import ExportLog
from suppliers.models import Principle, Stage, Supplier, SupplierDocument, SupplierScore, SupplierStep, SurveyFinding
from suppliers.models.documents import SURVEY_DOCUMENTS
from suppliers.services.stages import supplier_reject
from tests.suppliers.factories import EXE_BYTES, credit_code, pdf, register, sign_all, upload

pytestmark = pytest.mark.django_db

STAGES = [stage for stage in Stage.values if stage != Stage.REJECTED]


def _detail(supplier) -> str:
    return reverse("suppliers:supplier_detail", args=[supplier.pk])


def _act(supplier, action: str) -> str:
    return reverse("suppliers:supplier_action", args=[supplier.pk, action])


def _details(**overrides) -> dict:
    values = {
        "name": "华盛精密机械有限公司",
        "credit_code": credit_code(777),
        "legal_representative": "李四",
        "address": "深圳市南山区科技园",
        "contact_name": "张经理",
        "contact_phone": "13800000000",
        "contact_email": "zhang@example.com",
        "goods": "数控加工件",
        "source": "exhibition",
        "source_note": "2026 工博会",
    }
    return {**values, **overrides}


def _text(response) -> str:
    return response.content.decode()


# --- the list ------------------------------------------------------------------------------


def test_the_list_shows_the_suppliers_with_the_register_button_for_procurement(client_for, buyer, at, head):
    """SUP-02 ORG-02: procurement sees every file and may register; the head sees no button."""
    candidate = register(buyer, name="甲公司")
    active = at(Stage.ACTIVE, name="乙公司")
    html = _text(client_for(buyer).get(reverse("suppliers:supplier_list")))
    assert 'id="register-candidate"' in html
    assert f'data-supplier="{candidate.pk}"' in html and f'data-supplier="{active.pk}"' in html
    assert active.code in html
    html = _text(client_for(head).get(reverse("suppliers:supplier_list")))
    assert 'id="register-candidate"' not in html and f'data-supplier="{candidate.pk}"' in html


def test_the_list_filters_by_search_stage_goods_and_date(client_for, buyer, at, time_machine):
    """SUP-02: search by name, credit code or code; stages (several); goods; registration dates."""
    time_machine.move_to("2026-03-02 10:00 +0800")
    march = register(buyer, name="三月公司", goods="铝型材")
    time_machine.move_to("2026-06-02 10:00 +0800")
    june = at(Stage.GENERAL_SURVEY, name="六月公司", goods="紧固件")
    active = at(Stage.ACTIVE, name="活跃公司", goods="紧固件")
    client = client_for(buyer)

    def shown(**query):
        html = _text(client.get(reverse("suppliers:supplier_list"), query))
        return {supplier.pk for supplier in (march, june, active) if f'data-supplier="{supplier.pk}"' in html}

    assert shown() == {march.pk, june.pk, active.pk}
    assert shown(q="三月") == {march.pk}
    assert shown(q=june.credit_code.lower()) == {june.pk}
    assert shown(q=active.code) == {active.pk}
    assert shown(stage=["candidate", "active"]) == {march.pk, active.pk}
    assert shown(goods="紧固") == {june.pk, active.pk}
    assert shown(registered_from="2026-05-01") == {june.pk, active.pk}
    assert shown(registered_to="2026-05-01") == {march.pk}
    assert "No supplier matches this filter." in _text(client.get(reverse("suppliers:supplier_list"), {"q": "无此"}))


def test_an_empty_list_says_so(client_for, buyer):
    """SUP-02: the empty state."""
    assert 'id="empty-state"' in _text(client_for(buyer).get(reverse("suppliers:supplier_list")))


def test_the_list_export_holds_the_filtered_rows_only_and_is_logged(client_for, buyer, at):
    """SUP-02 ORG-02: the Excel export of exactly the screen's rows, logged."""
    register(buyer, name="候选甲", goods="铝型材")
    active = at(Stage.ACTIVE, name="活跃乙")
    response = client_for(buyer).get(reverse("suppliers:supplier_list"), {"stage": "active", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == active.code and rows[1][1] == "活跃乙"
    log = ExportLog.objects.get(user=buyer)
    assert (log.name, log.row_count, log.query) == ("suppliers", 1, "stage=active")


def test_the_list_runs_the_same_number_of_queries_for_1_and_25_rows(client_for, buyer):
    """SUP-02: the list does not grow its queries with its rows."""
    client = client_for(buyer)
    register(buyer)
    client.get(reverse("suppliers:supplier_list"))
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("suppliers:supplier_list")).status_code == 200
    for _index in range(24):
        register(buyer)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("suppliers:supplier_list")).status_code == 200
    assert len(one) == len(many)


# --- registering and the details -----------------------------------------------------------


def test_procurement_registers_a_candidate(client_for, buyer):
    """SUP-02: the register form creates the candidate with its first step."""
    response = client_for(buyer).post(reverse("suppliers:supplier_create"), _details())
    supplier = Supplier.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(supplier)
    assert (supplier.stage, supplier.name, supplier.source_note) == ("candidate", "华盛精密机械有限公司", "2026 工博会")
    assert supplier.steps.get().action == "register"


def test_the_register_form_marks_its_required_fields(client_for, buyer):
    """SUP-02: asterisks, required attributes and the legend."""
    from tests.core.test_required_markers import _check

    _check(client_for(buyer).get(reverse("suppliers:supplier_create")))


def test_a_bad_credit_code_keeps_what_was_typed_and_writes_nothing(client_for, buyer):
    """SUP-02: the check digit refused on its field, 400, the form filled in again."""
    code = credit_code(778)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = client_for(buyer).post(reverse("suppliers:supplier_create"), _details(credit_code=wrong))
    assert response.status_code == 400
    assert "check digit" in response.context["form"].errors["credit_code"][0]
    html = _text(response)
    assert "华盛精密机械有限公司" in html and "数控加工件" in html and wrong in html
    assert not Supplier.objects.exists()


def test_a_second_registration_of_the_same_company_links_to_the_first(client_for, buyer):
    """SUP-02: the duplicate is refused with a link to the existing file."""
    first = register(buyer, name="华盛（深圳）科技有限公司")
    client = client_for(buyer)
    response = client.post(reverse("suppliers:supplier_create"), _details(credit_code=first.credit_code))
    assert response.status_code == 400
    html = _text(response)
    assert re.search(rf'<a href="{_detail(first)}"[^>]*id="duplicate-link"', html)
    response = client.post(reverse("suppliers:supplier_create"), _details(name="华盛(深圳)科技 有限公司"))
    assert response.status_code == 400 and f'href="{_detail(first)}"' in _text(response)
    assert Supplier.objects.count() == 1


def test_a_rejected_company_registered_again_links_both_files(client_for, buyer):
    """SUP-02: the new candidate shows its earlier rejected file, and the old one the new."""
    old = register(buyer, name="旧档案有限公司")
    supplier_reject(actor=buyer, supplier=old, reason="资质不足")
    client = client_for(buyer)
    assert 'id="register-again"' in _text(client.get(_detail(old)))
    form = client.get(reverse("suppliers:supplier_create"), {"again": old.pk}).context["form"]
    assert form.initial["credit_code"] == old.credit_code and form.initial["name"] == "旧档案有限公司"
    client.post(reverse("suppliers:supplier_create"), _details(name="旧档案有限公司", credit_code=old.credit_code))
    new = Supplier.objects.exclude(pk=old.pk).get()
    assert new.previous == old
    assert f'href="{_detail(old)}" id="previous-file"' in _text(client.get(_detail(new)))
    html = _text(client.get(_detail(old)))
    assert 'id="rejected-note"' in html and "资质不足" in html and f'href="{_detail(new)}"' in html
    assert 'data-state="rejected"' in html and 'data-state="skipped"' in html


def test_procurement_edits_the_details_while_the_file_is_open(client_for, buyer, at):
    """SUP-02: the details form, filled with the file; an archived file is not edited."""
    supplier = register(buyer)
    client = client_for(buyer)
    page = client.get(reverse("suppliers:supplier_edit", args=[supplier.pk]))
    assert page.status_code == 200 and supplier.name in _text(page)
    response = client.post(
        reverse("suppliers:supplier_edit", args=[supplier.pk]),
        _details(name=supplier.name, credit_code=supplier.credit_code, address="新地址"),
    )
    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.address == "新地址"
    response = client.post(reverse("suppliers:supplier_edit", args=[supplier.pk]), _details(legal_representative=""))
    assert response.status_code == 400
    active = at(Stage.ACTIVE)
    response = client.get(reverse("suppliers:supplier_edit", args=[active.pk]))
    assert response.status_code == 302
    assert 'id="edit-details"' not in _text(client.get(_detail(active)))


# --- the supplier's page -------------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
def test_the_page_shows_the_stage_bar_at_every_stage(client_for, buyer, at, stage):
    """SUP-02: done, current and still to come; the current stage's missing items listed."""
    supplier = at(stage)
    html = _text(client_for(buyer).get(_detail(supplier)))
    index = STAGES.index(stage)
    for position, other in enumerate(STAGES):
        state = "done" if position < index or stage == Stage.ACTIVE else "current" if position == index else "todo"
        assert f'data-stage="{other}" data-state="{state}"' in html, (other, state)
    if stage == Stage.APPROVAL:
        assert "The head of purchasing decides on the approval application." in html


def test_the_page_lists_what_the_general_survey_still_misses(client_for, buyer, at):
    """SUP-01 SUP-03: documents, notes and principles still missing are listed."""
    supplier = at(Stage.GENERAL_SURVEY)
    html = _text(client_for(buyer).get(_detail(supplier)))
    assert 'id="missing"' in html
    assert "Record the notes of the interview" in html and "Score selection principle(s) 1, 2, 3, 4, 5, 6." in html


def test_the_page_runs_a_constant_number_of_queries(client_for, buyer, team, at):
    """SUP-01 SUP-03 SUP-04 SUP-07: more documents, versions, scores, findings and steps, same queries."""
    small = at(Stage.ONSITE_SURVEY)
    big = at(Stage.ONSITE_SURVEY)
    for kind in SURVEY_DOCUMENTS:
        for _index in range(3):
            client_for(buyer).post(_act(big, "document"), {"document-kind": kind, "document-file": pdf()})
    sign_all(big, team)
    client = client_for(buyer)
    client.get(_detail(small))
    with CaptureQueriesContext(connection) as few:
        assert client.get(_detail(small)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(_detail(big)).status_code == 200
    assert big.documents.count() == 20 and big.findings.count() == 3 and big.steps.count() > small.steps.count()
    assert len(few) == len(many)


def test_the_page_renders_in_chinese(client_for, buyer, at):
    """SUP-02: the page follows the user's language."""
    supplier = at(Stage.APPROVAL)
    buyer.language = "zh-hans"
    buyer.save(update_fields=["language"])
    response = client_for(buyer).get(_detail(supplier), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and '<html lang="zh-hans">' in _text(response)


def test_every_version_of_a_document_is_listed_and_downloadable(client_for, buyer):
    """SUP-07: a new upload of a kind is a new version; both stay downloadable with who and when."""
    supplier = register(buyer)
    client = client_for(buyer)
    for content in (b"%PDF-1.4 first\n%%EOF\n", b"%PDF-1.4 second\n%%EOF\n"):
        response = client.post(
            _act(supplier, "document"), {"document-kind": "history", "document-file": pdf("沿革.pdf", content)}
        )
        assert response.status_code == 302
    first, second = SupplierDocument.objects.filter(kind="history").order_by("version")
    html = _text(client.get(_detail(supplier)))
    for document in (first, second):
        assert reverse("suppliers:document_download", args=[document.pk]) in html
    assert 'data-version="2"' in html and 'data-version="1"' in html and buyer.display_name in html
    response = client.get(reverse("suppliers:document_download", args=[first.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 first\n%%EOF\n"
    assert "沿革.pdf" in response["Content-Disposition"] or "%E6%B2%BF" in response["Content-Disposition"]


def test_a_renamed_program_is_refused_as_a_document(client_for, buyer):
    """SUP-07: virus.pdf with a program's bytes is refused with a clear message; nothing stored."""
    supplier = register(buyer)
    response = client_for(buyer).post(
        _act(supplier, "document"), {"document-kind": "history", "document-file": upload("virus.pdf", EXE_BYTES)}
    )
    assert response.status_code == 400
    assert "This file is a program, not a document, and is refused." in _text(response)
    assert not SupplierDocument.objects.exists()


# --- the walk through the pages ------------------------------------------------------------


def test_a_supplier_goes_from_candidate_to_active_through_the_pages(client_for, buyer, head, team, time_machine):
    """SUP-01 SUP-02 SUP-03 SUP-04 SUP-05 SUP-06 SUP-07: every step posted by the person who takes it."""
    time_machine.move_to("2026-07-01 10:00 +0800")
    supplier = register(buyer)
    procurement = client_for(buyer)

    def post(client, action, data, status=302):
        response = client.post(_act(supplier, action), data)
        assert response.status_code == status, (action, _text(response)[:3000])
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
        page = _text(client_for(person).get(_detail(supplier)))
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

    html = _text(client_for(head).get(_detail(supplier)))
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
    html = _text(procurement.get(_detail(supplier)))
    assert 'id="form-suspend"' in html and "SUP-2026-0001" in html
    assert 'id="form-advance"' not in html and 'id="form-document"' not in html and 'id="form-reject"' not in html
    actions = list(SupplierStep.objects.filter(supplier=supplier).values_list("action", flat=True))
    assert actions[0] == "register" and actions[-1] == "activate"


def test_an_active_supplier_is_suspended_and_reactivated_keeping_its_code(client_for, buyer, at):
    """SUP-07: suspend and re-activate with a reason; the code stays."""
    supplier = at(Stage.ACTIVE)
    code = supplier.code
    client = client_for(buyer)
    assert client.post(_act(supplier, "suspend"), {"suspend-reason": ""}).status_code == 400
    assert client.post(_act(supplier, "suspend"), {"suspend-reason": "交期延误"}).status_code == 302
    supplier.refresh_from_db()
    assert supplier.is_suspended and supplier.code == code
    html = _text(client.get(_detail(supplier)))
    assert 'id="suspended-note"' in html and 'id="form-reactivate"' in html
    assert client.post(_act(supplier, "reactivate"), {"reactivate-reason": "已整改"}).status_code == 302
    supplier.refresh_from_db()
    assert not supplier.is_suspended and supplier.code == code


def test_procurement_rejects_a_candidate_with_a_reason(client_for, buyer, at):
    """SUP-02: rejected at any open stage with a reason; the file is closed."""
    supplier = at(Stage.ONSITE_SURVEY)
    client = client_for(buyer)
    response = client.post(_act(supplier, "reject"), {"reject-reason": ""})
    assert response.status_code == 400
    assert client.post(_act(supplier, "reject"), {"reject-reason": "价格过高"}).status_code == 302
    supplier.refresh_from_db()
    assert supplier.stage == Stage.REJECTED and supplier.rejected_from == Stage.ONSITE_SURVEY
    html = _text(client.get(_detail(supplier)))
    assert "<form" not in html.split('id="stage-bar"')[1].split('id="timeline"')[0]


# --- refusals ------------------------------------------------------------------------------


def _snapshot(supplier):
    supplier.refresh_from_db()
    return (
        supplier.stage,
        supplier.steps.count(),
        supplier.documents.count(),
        supplier.scores.count(),
        supplier.findings.count(),
        supplier.goods_lines.count(),
        supplier.history.count(),
    )


def test_skipping_a_stage_is_refused_with_what_is_missing(client_for, buyer, at):
    """SUP-02 SUP-03: moving on with the general survey incomplete answers 400 with the missing list."""
    supplier = at(Stage.GENERAL_SURVEY)
    before = _snapshot(supplier)
    response = client_for(buyer).post(_act(supplier, "advance"), {"advance-note": ""})
    assert response.status_code == 400
    html = _text(response)
    assert "The supplier cannot move on to the on-site survey stage yet" in html
    assert "Upload the company history 企业沿革." in html
    assert _snapshot(supplier) == before


def test_an_application_is_not_advanced_past_the_head(client_for, buyer, at):
    """SUP-02 SUP-05: approval is the head's decision; advancing and activating early are refused."""
    supplier = at(Stage.APPROVAL)
    before = _snapshot(supplier)
    client = client_for(buyer)
    response = client.post(_act(supplier, "advance"), {"advance-note": ""})
    assert response.status_code == 400 and "The head of purchasing decides" in _text(response)
    response = client.post(_act(supplier, "activate"), {"activate-payment_terms": "月结"})
    assert response.status_code == 400 and "Only a supplier whose contracts are signed can be activated" in _text(
        response
    )
    assert _snapshot(supplier) == before


def test_procurement_cannot_decide_and_the_head_must_give_a_reason_to_reject(client_for, buyer, head, at):
    """SUP-05: only the head decides; a rejection needs a comment."""
    supplier = at(Stage.APPROVAL)
    before = _snapshot(supplier)
    response = client_for(buyer).post(_act(supplier, "decide"), {"decide-decision": "approve", "decide-comment": ""})
    assert response.status_code == 403
    assert "Only the head of purchasing decides on an approval application." in _text(response)
    response = client_for(head).post(_act(supplier, "decide"), {"decide-decision": "reject", "decide-comment": ""})
    assert response.status_code == 400 and "Say why the application is rejected." in _text(response)
    assert _snapshot(supplier) == before


def test_the_head_cannot_decide_before_the_application_is_submitted(client_for, head, at):
    """SUP-02 SUP-05: no approval while the on-site survey is open; the service's message, 400."""
    supplier = at(Stage.ONSITE_SURVEY)
    before = _snapshot(supplier)
    response = client_for(head).post(_act(supplier, "decide"), {"decide-decision": "approve", "decide-comment": ""})
    assert response.status_code == 400
    assert "There is no approval application to decide on" in _text(response)
    assert _snapshot(supplier) == before


def test_a_department_cannot_sign_for_another(client_for, at, team):
    """SUP-04: the technical department's staff posting the design department's findings are refused."""
    supplier = at(Stage.ONSITE_SURVEY)
    before = _snapshot(supplier)
    response = client_for(team["technical"]).post(
        _act(supplier, "finding"), {"finding-department": "design", "finding-findings": "代签", "finding-score": 5}
    )
    assert response.status_code == 403
    assert "Only the staff of a department sign its own findings." in _text(response)
    assert not SurveyFinding.objects.exists() and _snapshot(supplier) == before


def test_contracts_on_two_dates_are_refused(client_for, buyer, at, time_machine):
    """SUP-06: the second contract dated another day is refused on its field."""
    time_machine.move_to("2026-08-03 10:00 +0800")
    supplier = at(Stage.APPROVED)
    time_machine.move_to("2026-08-10 10:00 +0800")
    client = client_for(buyer)
    data = {"contract-kind": "supply", "contract-signed_on": "2026-08-10", "contract-file": pdf()}
    assert client.post(_act(supplier, "contract"), data).status_code == 302
    before = _snapshot(supplier)
    data = {"contract-kind": "quality", "contract-signed_on": "2026-08-09", "contract-file": pdf()}
    response = client.post(_act(supplier, "contract"), data)
    assert response.status_code == 400
    assert "Both contracts are signed on the same day" in _text(response)
    assert _snapshot(supplier) == before


def test_a_step_that_is_no_longer_offered_still_says_why(client_for, buyer, at):
    """SUP-07: a document posted to an archived file: 400 with the service's message at the top."""
    supplier = at(Stage.ACTIVE)
    before = _snapshot(supplier)
    response = client_for(buyer).post(_act(supplier, "document"), {"document-kind": "history", "document-file": pdf()})
    assert response.status_code == 400
    assert 'id="action-error"' in _text(response) and "its file archived" in _text(response)
    assert _snapshot(supplier) == before


def test_an_unknown_step_is_404_and_a_get_is_not_allowed(client_for, buyer):
    """SUP-02: only the steps of the page, only by POST."""
    supplier = register(buyer)
    client = client_for(buyer)
    assert client.post(_act(supplier, "teleport"), {}).status_code == 404
    assert client.get(_act(supplier, "advance")).status_code == 405


# --- who sees what -------------------------------------------------------------------------


def _every_url(supplier, document) -> list[tuple[str, str]]:
    urls = [
        ("get", reverse("suppliers:supplier_list")),
        ("get", reverse("suppliers:supplier_list") + "?export=xlsx"),
        ("get", reverse("suppliers:supplier_create")),
        ("post", reverse("suppliers:supplier_create")),
        ("get", _detail(supplier)),
        ("get", reverse("suppliers:supplier_edit", args=[supplier.pk])),
        ("post", reverse("suppliers:supplier_edit", args=[supplier.pk])),
        ("get", reverse("suppliers:supplier_file_export", args=[supplier.pk])),
        ("get", reverse("suppliers:document_download", args=[document.pk])),
    ]
    actions = ["advance", "reject", "decide", "activate", "suspend", "reactivate", "notes", "score", "finding"]
    actions += ["application", "document", "contract"]
    return urls + [("post", _act(supplier, action)) for action in actions]


@pytest.mark.parametrize("who", ["rep", "outsider", "finance"])
def test_the_outsiders_get_404_on_every_supplier_page_action_export_and_download(request, client_for, buyer, who):
    """ORG-02 SUP-07: sales, operations and finance see nothing of a supplier's file."""
    supplier = register(buyer)
    client_for(buyer).post(_act(supplier, "document"), {"document-kind": "history", "document-file": pdf()})
    document = SupplierDocument.objects.get()
    client = client_for(request.getfixturevalue(who))
    before = _snapshot(supplier)
    for method, url in _every_url(supplier, document):
        response = getattr(client, method)(url, {"advance-note": "x", "reject-reason": "x"} if method == "post" else {})
        assert response.status_code == 404, (who, method, url, response.status_code)
    assert _snapshot(supplier) == before and not ExportLog.objects.exists()


@pytest.mark.parametrize("who", ["rep", "outsider"])
def test_the_outsiders_get_404_on_the_payment_terms_too(request, client_for, at, who):
    """ORG-02: the payment terms page and its export are finance's and the file holders'."""
    at(Stage.ACTIVE)
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("suppliers:payment_terms")).status_code == 404
    assert client.get(reverse("suppliers:payment_terms"), {"export": "xlsx"}).status_code == 404


def test_finance_sees_only_the_payment_terms_of_active_suppliers(client_for, finance, buyer, at):
    """ORG-02 SUP-07: code, name and payment terms of active suppliers; nothing else, no link to the file."""
    candidate = register(buyer, name="候选丙")
    active = at(Stage.ACTIVE, name="活跃丁")
    client = client_for(finance)
    html = _text(client.get(reverse("suppliers:payment_terms")))
    assert active.code in html and "月结60天" in html and "活跃丁" in html
    assert "候选丙" not in html and candidate.credit_code not in html and active.credit_code not in html
    assert _detail(active) not in html
    response = client.get(reverse("suppliers:payment_terms"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][:3] == (active.code, "活跃丁", "月结60天") and len(rows) == 2
    assert ExportLog.objects.get().name == "supplier-payment-terms"


def test_management_sees_the_pages_without_forms_and_its_posts_are_refused(client_for, gm, buyer, at):
    """ORG-02: management reads every file but changes nothing."""
    supplier = at(Stage.GENERAL_SURVEY)
    active = at(Stage.ACTIVE)
    client = client_for(gm)
    assert 'id="register-candidate"' not in _text(client.get(reverse("suppliers:supplier_list")))
    assert client.get(reverse("suppliers:supplier_create")).status_code == 403
    for target in (supplier, active):
        html = _text(client.get(_detail(target)))
        assert "supplier_action" not in html and "/act/" not in html and 'id="edit-details"' not in html
        assert 'id="export-file"' in html
    assert client.get(reverse("suppliers:payment_terms")).status_code == 200
    document = active.documents.first()
    assert client.get(reverse("suppliers:document_download", args=[document.pk])).status_code == 200
    assert client.get(reverse("suppliers:supplier_file_export", args=[active.pk])).status_code == 200
    assert client.get(reverse("suppliers:supplier_edit", args=[supplier.pk])).status_code == 403
    before = _snapshot(supplier)
    data = {
        "advance-note": "", "reject-reason": "管理层", "notes-interview_notes": "改", "score-principle": 1,
        "score-result": "pass", "score-note": "改", "document-kind": "history",
    }  # fmt: skip
    for action in ("advance", "reject", "notes", "score", "document"):
        response = client.post(_act(supplier, action), {**data, "document-file": pdf()})
        assert response.status_code in (400, 403), action
    response = client.post(_act(active, "suspend"), {"suspend-reason": "管理层"})
    assert response.status_code == 403
    assert _snapshot(supplier) == before and not active.__class__.objects.get(pk=active.pk).is_suspended


def test_the_survey_team_sees_the_files_and_scores_but_does_not_run_them(client_for, at, technical):
    """SUP-01 SUP-04 ORG-02: a survey department's staff score the principles, sign only their own findings."""
    general = at(Stage.GENERAL_SURVEY)
    onsite = at(Stage.ONSITE_SURVEY)
    client = client_for(technical)
    html = _text(client.get(_detail(general)))
    assert 'id="form-score"' in html and 'id="form-advance"' not in html and 'id="form-document"' not in html
    html = _text(client.get(_detail(onsite)))
    assert html.count('id="form-finding"') == 1
    assert 'name="finding-department"' in html and 'value="technical"' in html


# --- the supplier file ---------------------------------------------------------------------


def test_the_supplier_file_export_holds_the_whole_file_and_is_logged(client_for, buyer, at):
    """SUP-07: one printable workbook with details, steps, documents, scores, findings, contracts, code."""
    supplier = at(Stage.ACTIVE, name="档案导出有限公司")
    response = client_for(buyer).get(reverse("suppliers:supplier_file_export", args=[supplier.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]
    text = "\n".join(cells)
    for expected in (
        "档案导出有限公司",
        supplier.code,
        "月结60天",
        supplier.credit_code,
        "现场良好",
        "符合要求",
        "同意",
    ):
        assert expected in text, expected
    assert "supply contract" in text and "quality-assurance contract" in text
    assert sheet.page_setup.paperSize == 9 and sheet.print_title_rows
    assert ExportLog.objects.get().name == "supplier-file"


# --- My work -------------------------------------------------------------------------------


def test_my_work_shows_the_surveys_and_applications_waiting(client_for, at, technical, head, team):
    """SUP-04 SUP-05: my department's unsigned on-site surveys; the applications waiting for my approval."""
    onsite = at(Stage.ONSITE_SURVEY, name="待调查公司")
    approval = at(Stage.APPROVAL, name="待审批公司")
    html = _text(client_for(technical).get("/"))
    assert 'id="supplier-surveys"' in html and "待调查公司" in html and _detail(onsite) in html
    html = _text(client_for(head).get("/"))
    assert 'id="supplier-applications"' in html and "待审批公司" in html and _detail(approval) in html
    sign_all(onsite, team)
    assert "No on-site survey waits for your department." in _text(client_for(technical).get("/"))
