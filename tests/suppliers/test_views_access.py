"""Who sees what of a supplier's file on the pages (ORG-02, SUP-04, SUP-07): the outsiders get 404
everywhere, finance only the payment terms, management reads without forms, the survey team
scores and signs its own findings."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from crm_project.core.models import ExportLog
from suppliers.models import Stage, SupplierDocument
from tests.suppliers.factories import pdf, register
from tests.suppliers.page_helpers import act_url, detail_url, page_text, snapshot

pytestmark = pytest.mark.django_db


# --- who sees what -------------------------------------------------------------------------


def _every_url(supplier, document) -> list[tuple[str, str]]:
    urls = [
        ("get", reverse("suppliers:supplier_list")),
        ("get", reverse("suppliers:supplier_list") + "?export=xlsx"),
        ("get", reverse("suppliers:supplier_create")),
        ("post", reverse("suppliers:supplier_create")),
        ("get", detail_url(supplier)),
        ("get", reverse("suppliers:supplier_edit", args=[supplier.pk])),
        ("post", reverse("suppliers:supplier_edit", args=[supplier.pk])),
        ("get", reverse("suppliers:supplier_file_export", args=[supplier.pk])),
        ("get", reverse("suppliers:document_download", args=[document.pk])),
    ]
    actions = ["advance", "reject", "decide", "activate", "suspend", "reactivate", "notes", "score", "finding"]
    actions += ["application", "document", "contract"]
    return urls + [("post", act_url(supplier, action)) for action in actions]


@pytest.mark.parametrize("who", ["rep", "outsider", "finance"])
def test_the_outsiders_get_404_on_every_supplier_page_action_export_and_download(request, client_for, buyer, who):
    """ORG-02 SUP-07: sales, operations and finance see nothing of a supplier's file."""
    supplier = register(buyer)
    client_for(buyer).post(act_url(supplier, "document"), {"document-kind": "history", "document-file": pdf()})
    document = SupplierDocument.objects.get()
    client = client_for(request.getfixturevalue(who))
    before = snapshot(supplier)
    for method, url in _every_url(supplier, document):
        response = getattr(client, method)(url, {"advance-note": "x", "reject-reason": "x"} if method == "post" else {})
        assert response.status_code == 404, (who, method, url, response.status_code)
    assert snapshot(supplier) == before and not ExportLog.objects.exists()


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
    html = page_text(client.get(reverse("suppliers:payment_terms")))
    assert active.code in html and "月结60天" in html and "活跃丁" in html
    assert "候选丙" not in html and candidate.credit_code not in html and active.credit_code not in html
    assert detail_url(active) not in html
    response = client.get(reverse("suppliers:payment_terms"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][:3] == (active.code, "活跃丁", "月结60天") and len(rows) == 2
    assert ExportLog.objects.get().name == "supplier-payment-terms"


def test_management_sees_the_pages_without_forms_and_its_posts_are_refused(client_for, gm, buyer, at):
    """ORG-02: management reads every file but changes nothing."""
    supplier = at(Stage.GENERAL_SURVEY)
    active = at(Stage.ACTIVE)
    client = client_for(gm)
    assert 'id="register-candidate"' not in page_text(client.get(reverse("suppliers:supplier_list")))
    assert client.get(reverse("suppliers:supplier_create")).status_code == 403
    for target in (supplier, active):
        html = page_text(client.get(detail_url(target)))
        assert "supplier_action" not in html and "/act/" not in html and 'id="edit-details"' not in html
        assert 'id="export-file"' in html
    assert client.get(reverse("suppliers:payment_terms")).status_code == 200
    document = active.documents.first()
    assert client.get(reverse("suppliers:document_download", args=[document.pk])).status_code == 200
    assert client.get(reverse("suppliers:supplier_file_export", args=[active.pk])).status_code == 200
    assert client.get(reverse("suppliers:supplier_edit", args=[supplier.pk])).status_code == 403
    before = snapshot(supplier)
    data = {
        "advance-note": "", "reject-reason": "管理层", "notes-interview_notes": "改", "score-principle": 1,
        "score-result": "pass", "score-note": "改", "document-kind": "history",
    }  # fmt: skip
    for action in ("advance", "reject", "notes", "score", "document"):
        response = client.post(act_url(supplier, action), {**data, "document-file": pdf()})
        assert response.status_code in (400, 403), action
    response = client.post(act_url(active, "suspend"), {"suspend-reason": "管理层"})
    assert response.status_code == 403
    assert snapshot(supplier) == before and not active.__class__.objects.get(pk=active.pk).is_suspended


def test_the_survey_team_sees_the_files_and_scores_but_does_not_run_them(client_for, at, technical):
    """SUP-01 SUP-04 ORG-02: a survey department's staff score the principles, sign only their own findings."""
    general = at(Stage.GENERAL_SURVEY)
    onsite = at(Stage.ONSITE_SURVEY)
    client = client_for(technical)
    html = page_text(client.get(detail_url(general)))
    assert 'id="form-score"' in html and 'id="form-advance"' not in html and 'id="form-document"' not in html
    html = page_text(client.get(detail_url(onsite)))
    assert html.count('id="form-finding"') == 1
    assert 'name="finding-department"' in html and 'value="technical"' in html
