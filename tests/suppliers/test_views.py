"""The supplier pages (SUP-01 … SUP-07): the list with its filters and export, registering a
candidate, the supplier's page with its stage bar, documents and versions, and "My work"."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from crm_project.core.models import ExportLog
from suppliers.models import Stage, Supplier, SupplierDocument
from suppliers.models.documents import SURVEY_DOCUMENTS
from suppliers.services.documents import supplier_upload_document
from suppliers.services.register import supplier_update
from suppliers.services.stages import supplier_advance, supplier_reject
from suppliers.services.survey import supplier_set_goods_lines
from tests.suppliers.factories import EXE_BYTES, credit_code, pdf, register, sign_all, upload
from tests.suppliers.page_helpers import act_url, detail_url, details, page_text

pytestmark = pytest.mark.django_db

STAGES = [stage for stage in Stage.values if stage != Stage.REJECTED]


# --- the list ------------------------------------------------------------------------------


def test_the_list_shows_the_suppliers_with_the_register_button_for_procurement(client_for, buyer, at, head):
    """SUP-02 ORG-02: procurement sees every file and may register; the head sees no button."""
    candidate = register(buyer, name="甲公司")
    active = at(Stage.ACTIVE, name="乙公司")
    html = page_text(client_for(buyer).get(reverse("suppliers:supplier_list")))
    assert 'id="register-candidate"' in html
    assert f'data-supplier="{candidate.pk}"' in html and f'data-supplier="{active.pk}"' in html
    assert active.code in html
    html = page_text(client_for(head).get(reverse("suppliers:supplier_list")))
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
        html = page_text(client.get(reverse("suppliers:supplier_list"), query))
        return {supplier.pk for supplier in (march, june, active) if f'data-supplier="{supplier.pk}"' in html}

    assert shown() == {march.pk, june.pk, active.pk}
    assert shown(q="三月") == {march.pk}
    assert shown(q=june.credit_code.lower()) == {june.pk}
    assert shown(q=active.code) == {active.pk}
    assert shown(stage=["candidate", "active"]) == {march.pk, active.pk}
    assert shown(goods="紧固") == {june.pk, active.pk}
    assert shown(registered_from="2026-05-01") == {june.pk, active.pk}
    assert shown(registered_to="2026-05-01") == {march.pk}
    assert "No supplier matches this filter." in page_text(
        client.get(reverse("suppliers:supplier_list"), {"q": "无此"})
    )


def test_an_empty_list_says_so(client_for, buyer):
    """SUP-02: the empty state."""
    assert 'id="empty-state"' in page_text(client_for(buyer).get(reverse("suppliers:supplier_list")))


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
    response = client_for(buyer).post(reverse("suppliers:supplier_create"), details())
    supplier = Supplier.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(supplier)
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
    response = client_for(buyer).post(reverse("suppliers:supplier_create"), details(credit_code=wrong))
    assert response.status_code == 400
    assert "check digit" in response.context["form"].errors["credit_code"][0]
    html = page_text(response)
    assert "华盛精密机械有限公司" in html and "数控加工件" in html and wrong in html
    assert not Supplier.objects.exists()


def test_a_second_registration_of_the_same_company_links_to_the_first(client_for, buyer):
    """SUP-02: the duplicate is refused with a link to the existing file."""
    first = register(buyer, name="华盛（深圳）科技有限公司")
    client = client_for(buyer)
    response = client.post(reverse("suppliers:supplier_create"), details(credit_code=first.credit_code))
    assert response.status_code == 400
    html = page_text(response)
    assert re.search(rf'<a href="{detail_url(first)}"[^>]*id="duplicate-link"', html)
    response = client.post(reverse("suppliers:supplier_create"), details(name="华盛(深圳)科技 有限公司"))
    assert response.status_code == 400 and f'href="{detail_url(first)}"' in page_text(response)
    assert Supplier.objects.count() == 1


def test_a_rejected_company_registered_again_links_both_files(client_for, buyer):
    """SUP-02: the new candidate shows its earlier rejected file, and the old one the new."""
    old = register(buyer, name="旧档案有限公司")
    supplier_reject(actor=buyer, supplier=old, reason="资质不足")
    client = client_for(buyer)
    assert 'id="register-again"' in page_text(client.get(detail_url(old)))
    form = client.get(reverse("suppliers:supplier_create"), {"again": old.pk}).context["form"]
    assert form.initial["credit_code"] == old.credit_code and form.initial["name"] == "旧档案有限公司"
    client.post(reverse("suppliers:supplier_create"), details(name="旧档案有限公司", credit_code=old.credit_code))
    new = Supplier.objects.exclude(pk=old.pk).get()
    assert new.previous == old
    assert f'href="{detail_url(old)}" id="previous-file"' in page_text(client.get(detail_url(new)))
    html = page_text(client.get(detail_url(old)))
    assert 'id="rejected-note"' in html and "资质不足" in html and f'href="{detail_url(new)}"' in html
    assert 'data-state="rejected"' in html and 'data-state="skipped"' in html


def test_procurement_edits_the_details_while_the_file_is_open(client_for, buyer, at):
    """SUP-02: the details form, filled with the file; an archived file is not edited."""
    supplier = register(buyer)
    client = client_for(buyer)
    page = client.get(reverse("suppliers:supplier_edit", args=[supplier.pk]))
    assert page.status_code == 200 and supplier.name in page_text(page)
    response = client.post(
        reverse("suppliers:supplier_edit", args=[supplier.pk]),
        details(name=supplier.name, credit_code=supplier.credit_code, address="新地址"),
    )
    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.address == "新地址"
    response = client.post(reverse("suppliers:supplier_edit", args=[supplier.pk]), details(legal_representative=""))
    assert response.status_code == 400
    active = at(Stage.ACTIVE)
    response = client.get(reverse("suppliers:supplier_edit", args=[active.pk]))
    assert response.status_code == 302
    assert 'id="edit-details"' not in page_text(client.get(detail_url(active)))


# --- the supplier's page -------------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
def test_the_page_shows_the_stage_bar_at_every_stage(client_for, buyer, at, stage):
    """SUP-02: done, current and still to come; the current stage's missing items listed."""
    supplier = at(stage)
    html = page_text(client_for(buyer).get(detail_url(supplier)))
    index = STAGES.index(stage)
    for position, other in enumerate(STAGES):
        state = "done" if position < index or stage == Stage.ACTIVE else "current" if position == index else "todo"
        assert f'data-stage="{other}" data-state="{state}"' in html, (other, state)
    if stage == Stage.APPROVAL:
        assert "The head of purchasing decides on the approval application." in html


def test_the_page_lists_what_the_general_survey_still_misses(client_for, buyer, at):
    """SUP-01 SUP-03: documents, notes and principles still missing are listed."""
    supplier = at(Stage.GENERAL_SURVEY)
    html = page_text(client_for(buyer).get(detail_url(supplier)))
    assert 'id="missing"' in html
    assert "Record the notes of the interview" in html and "Score selection principle(s) 1, 2, 3, 4, 5, 6." in html


def test_the_page_runs_a_constant_number_of_queries(client_for, buyer, team, at):
    """SUP-01 SUP-03 SUP-04 SUP-07: more documents, versions, scores, findings and steps, same queries."""
    small = at(Stage.ONSITE_SURVEY)
    big = at(Stage.ONSITE_SURVEY)
    for kind in SURVEY_DOCUMENTS:
        for _index in range(3):
            client_for(buyer).post(act_url(big, "document"), {"document-kind": kind, "document-file": pdf()})
    sign_all(big, team)
    client = client_for(buyer)
    client.get(detail_url(small))
    with CaptureQueriesContext(connection) as few:
        assert client.get(detail_url(small)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(detail_url(big)).status_code == 200
    assert big.documents.count() == 20 and big.findings.count() == 3 and big.steps.count() > small.steps.count()
    assert len(few) == len(many)


def test_the_heads_page_with_the_report_runs_a_constant_number_of_queries(client_for, buyer, head, team, at):
    """SUP-05: the approval report assembled from the file, whatever its size, in the same queries."""

    def application(lines: int, versions: int):
        supplier = at(Stage.ONSITE_SURVEY)
        for _index in range(versions):
            supplier_upload_document(actor=buyer, supplier=supplier, kind="catalogue", file=pdf())
        goods = [{"item": f"产品{number}", "expected_amount": "1000"} for number in range(lines)]
        supplier_set_goods_lines(actor=buyer, supplier=supplier, lines=goods)
        sign_all(supplier, team)
        supplier_update(actor=buyer, supplier=supplier, trading_reasons="质量稳定")
        supplier_advance(actor=buyer, supplier=supplier)
        return supplier

    small, big = application(1, 0), application(12, 6)
    client = client_for(head)
    client.get(detail_url(small))
    with CaptureQueriesContext(connection) as few:
        assert 'id="form-decide"' in page_text(client.get(detail_url(small)))
    with CaptureQueriesContext(connection) as many:
        assert "12,000.00" in page_text(client.get(detail_url(big)))
    assert len(few) == len(many)


def test_the_page_renders_in_chinese(client_for, buyer, at):
    """SUP-02: the page follows the user's language."""
    supplier = at(Stage.APPROVAL)
    buyer.language = "zh-hans"
    buyer.save(update_fields=["language"])
    response = client_for(buyer).get(detail_url(supplier), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and '<html lang="zh-hans">' in page_text(response)


def test_every_version_of_a_document_is_listed_and_downloadable(client_for, buyer):
    """SUP-07: a new upload of a kind is a new version; both stay downloadable with who and when."""
    supplier = register(buyer)
    client = client_for(buyer)
    for content in (b"%PDF-1.4 first\n%%EOF\n", b"%PDF-1.4 second\n%%EOF\n"):
        response = client.post(
            act_url(supplier, "document"), {"document-kind": "history", "document-file": pdf("沿革.pdf", content)}
        )
        assert response.status_code == 302
    first, second = SupplierDocument.objects.filter(kind="history").order_by("version")
    html = page_text(client.get(detail_url(supplier)))
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
        act_url(supplier, "document"), {"document-kind": "history", "document-file": upload("virus.pdf", EXE_BYTES)}
    )
    assert response.status_code == 400
    assert "This file is a program, not a document, and is refused." in page_text(response)
    assert not SupplierDocument.objects.exists()


# --- My work -------------------------------------------------------------------------------


def test_my_work_shows_the_surveys_and_applications_waiting(client_for, at, technical, head, team):
    """SUP-04 SUP-05: my department's unsigned on-site surveys; the applications waiting for my approval."""
    onsite = at(Stage.ONSITE_SURVEY, name="待调查公司")
    approval = at(Stage.APPROVAL, name="待审批公司")
    html = page_text(client_for(technical).get("/"))
    assert 'id="supplier-surveys"' in html and "待调查公司" in html and detail_url(onsite) in html
    html = page_text(client_for(head).get("/"))
    assert 'id="supplier-applications"' in html and "待审批公司" in html and detail_url(approval) in html
    sign_all(onsite, team)
    assert "No on-site survey waits for your department." in page_text(client_for(technical).get("/"))
