"""The expense application and claim pages (EXP-17, EXP-16, ORG-02): who sees which page, filing
through the forms, the workflow buttons, receipt uploads and downloads, lists and exports."""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from expenses.models import ApplicationStatus, ClaimReceipt, ClaimStatus, ExpenseApplication, ExpenseClaim
from expenses.services.claims import claim_file
from tests.expenses.budgets import approved, category, filed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CLAIM_DAY = datetime.date(2026, 10, 9)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10, 0)), tick=False)


def png(name="receipt.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def other(sales):
    """A rep of Sales who is neither the applicant nor an approver."""
    return UserFactory(username="other_sales_rep", department=sales, roles=["sales_rep"])


@pytest.fixture
def application(applicant, manager, entertainment_budget):
    return filed(applicant)


@pytest.fixture
def claim(applicant, manager, finance, entertainment_budget):
    application = approved(applicant, by=manager)
    with at(CLAIM_DAY):
        return claim_file(actor=applicant, application=application, amount=application.estimated_cost,
                          receipts=[png()])  # fmt: skip


def url(name, *args):
    return reverse(f"expenses:{name}", args=args)


# --- who sees what ----------------------------------------------------------------------------


def test_it_shows_the_application_to_its_people_and_404s_the_outsider(
    client_for, application, applicant, manager, sales_head, finance, outsider, other
):
    """ORG-02, EXP-17: applicant, superior, head and finance see it; operations and another rep do not."""
    for user in (applicant, manager, sales_head, finance):
        response = client_for(user).get(url("expense_application_detail", application.pk))
        assert response.status_code == 200, user
    for user in (outsider, other):
        assert client_for(user).get(url("expense_application_detail", application.pk)).status_code == 404
        listing = client_for(user).get(url("expense_application_list"))
        assert listing.status_code == 200 and application.guest not in listing.content.decode()
        assert client_for(user).post(url("expense_application_action", application.pk, "approve")).status_code == 404


def test_it_shows_the_claim_and_its_receipt_only_to_its_people(client_for, claim, applicant, finance, outsider, other):
    """ORG-02, EXP-17: the receipt is an attachment, and 404 to the outsider."""
    receipt = claim.receipts.get()
    for user in (applicant, finance):
        assert client_for(user).get(url("expense_claim_detail", claim.pk)).status_code == 200
        response = client_for(user).get(url("expense_claim_receipt", claim.pk, receipt.pk))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PNG
    for user in (outsider, other):
        assert client_for(user).get(url("expense_claim_detail", claim.pk)).status_code == 404
        assert client_for(user).get(url("expense_claim_receipt", claim.pk, receipt.pk)).status_code == 404
        assert client_for(user).post(url("expense_claim_action", claim.pk, "accept")).status_code == 404
        assert claim.application.guest not in client_for(user).get(url("expense_claim_list")).content.decode()


def test_it_opens_the_queues_to_their_roles(client_for, application, manager, finance, outsider):
    """EXP-17: the superior sees the application waiting; finance's queue is finance's only."""
    page = client_for(manager).get(url("expense_approvals"))
    assert page.status_code == 200 and application.guest in page.content.decode()
    assert application.guest not in client_for(outsider).get(url("expense_approvals")).content.decode()
    assert client_for(finance).get(url("expense_finance_queue")).status_code == 200
    assert client_for(outsider).get(url("expense_finance_queue")).status_code == 403
    assert client_for(manager).get(url("expense_finance_queue")).status_code == 403


def test_it_shows_the_menu_to_every_staff_user(client_for, outsider, finance):
    """DSH-02: "Expenses" for everyone, the finance queue for finance."""
    page = client_for(outsider).get(url("expense_application_list")).content.decode()
    assert url("expense_application_new") in page and url("expense_finance_queue") not in page
    assert url("expense_finance_queue") in client_for(finance).get(url("expense_application_list")).content.decode()


# --- filing -----------------------------------------------------------------------------------


def _form(**changes):
    data = {"category": category("entertainment").pk, "event_date": "2026-09-28", "guest": "王总",
            "organisation": "华盛贸易", "reason": "商务洽谈", "persons": "3", "estimated_cost": "600.00"}  # fmt: skip
    data.update(changes)
    return data


def test_it_files_an_application_through_the_form(client_for, applicant, manager, entertainment_budget):
    """EXP-17: filed, and the page shows the meal cap."""
    client = client_for(applicant)
    with at(datetime.date(2026, 9, 21)):
        assert "200" in client.get(url("expense_application_new")).content.decode()
        response = client.post(url("expense_application_new"), _form(estimated_cost="601.00"))
    application = ExpenseApplication.objects.get()
    assert response.status_code == 302 and response.url == url("expense_application_detail", application.pk)
    assert application.above_cap and application.superior == manager


def test_it_refuses_bad_input_and_writes_nothing(client_for, applicant, manager, entertainment_budget):
    """EXP-17: missing fields and an event in the past are form errors."""
    client = client_for(applicant)
    with at(datetime.date(2026, 9, 21)):
        missing = client.post(url("expense_application_new"), _form(guest="", persons=""))
        past = client.post(url("expense_application_new"), _form(event_date="2026-09-20"))
    assert missing.status_code == 200 and missing.context["form"].errors.keys() >= {"guest", "persons"}
    assert past.status_code == 200 and "already taken place" in str(past.context["form"].errors["event_date"])
    assert not ExpenseApplication.objects.exists()


def test_it_files_a_claim_with_png_and_pdf_receipts(client_for, applicant, manager, entertainment_budget):
    """EXP-17: several receipts through one multipart form."""
    application = approved(applicant, by=manager)
    with at(CLAIM_DAY):
        response = client_for(applicant).post(
            url("expense_application_action", application.pk, "claim"),
            {"amount": "550.00", "explanation": "", "receipts": [png(), SimpleUploadedFile("bill.pdf", PDF)]},
        )
    claim = ExpenseClaim.objects.get()
    assert response.status_code == 302 and response.url == url("expense_claim_detail", claim.pk)
    assert sorted(claim.receipts.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]


def test_it_refuses_a_receipt_that_is_not_an_image(client_for, applicant, manager, entertainment_budget):
    """EXP-17: checked by content; a clear message, nothing written."""
    application = approved(applicant, by=manager)
    with at(CLAIM_DAY):
        response = client_for(applicant).post(
            url("expense_application_action", application.pk, "claim"),
            {"amount": "550.00", "receipts": [SimpleUploadedFile("fake.png", b"MZ not an image at all")]},
        )
    assert response.status_code == 400
    assert "fake.png" in str(response.context["form"].errors["receipts"])
    assert not ExpenseClaim.objects.exists() and not ClaimReceipt.objects.exists()


def test_only_the_applicant_files_a_claim(client_for, applicant, manager, finance, entertainment_budget):
    """EXP-17: anyone else is refused (403) and nothing is written."""
    application = approved(applicant, by=manager)
    with at(CLAIM_DAY):
        response = client_for(finance).post(
            url("expense_application_action", application.pk, "claim"), {"amount": "5", "receipts": [png()]}
        )
    assert response.status_code == 403 and not ExpenseClaim.objects.exists()


# --- the workflow buttons ---------------------------------------------------------------------


def test_it_approves_records_and_rejects(client_for, application, applicant, manager, finance):
    """EXP-17: superior approves, finance records; a reject needs a comment."""
    assert client_for(applicant).post(url("expense_application_action", application.pk, "approve")).status_code == 403
    assert client_for(manager).post(url("expense_application_action", application.pk, "approve")).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert client_for(manager).post(url("expense_application_action", application.pk, "record")).status_code == 403
    assert client_for(finance).post(url("expense_application_action", application.pk, "record")).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECORDED
    refused = client_for(finance).post(url("expense_application_action", application.pk, "reject"), {"comment": ""})
    assert refused.status_code == 400
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECORDED
    done = client_for(finance).post(url("expense_application_action", application.pk, "reject"), {"comment": "取消"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED and application.comment == "取消"


def test_finance_allows_a_late_claim_with_a_reason(client_for, applicant, manager, finance, entertainment_budget):
    """EXP-17: the exception needs a reason."""
    application = approved(applicant, by=manager)
    action = url("expense_application_action", application.pk, "allow-late")
    assert client_for(finance).post(action, {"reason": ""}).status_code == 400
    assert client_for(finance).post(action, {"reason": "客户延迟开票"}).status_code == 302
    application.refresh_from_db()
    assert application.late_claim_reason == "客户延迟开票"


def test_head_approves_and_finance_accepts_a_claim(client_for, applicant, manager, sales_head, finance,
                                                    entertainment_budget):  # fmt: skip
    """EXP-17: above the estimate the head approves first; finance then accepts."""
    application = approved(applicant, by=manager, finance=finance)
    with at(CLAIM_DAY):
        claim = claim_file(actor=applicant, application=application, amount=application.estimated_cost + 50,
                           explanation="加了一道菜", receipts=[png()])  # fmt: skip
    assert client_for(finance).post(url("expense_claim_action", claim.pk, "accept")).status_code == 400
    assert claim.application.guest in client_for(sales_head).get(url("expense_approvals")).content.decode()
    assert client_for(sales_head).post(url("expense_claim_action", claim.pk, "approve")).status_code == 302
    assert (
        url("expense_claim_detail", claim.pk) in client_for(finance).get(url("expense_finance_queue")).content.decode()
    )
    assert client_for(finance).post(url("expense_claim_action", claim.pk, "accept")).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ACCEPTED


def test_finance_rejects_a_claim_with_a_comment(client_for, claim, finance, applicant):
    """EXP-17."""
    reject = url("expense_claim_action", claim.pk, "reject")
    assert client_for(applicant).post(reject, {"comment": "x"}).status_code == 403
    assert client_for(finance).post(reject, {"comment": "票据不清"}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED


# --- lists ------------------------------------------------------------------------------------


def _queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_lists_run_a_constant_number_of_queries(client_for, applicant, manager, finance, entertainment_budget):
    """DSH-03: one row or many, the same queries."""
    first = approved(applicant, by=manager)
    with at(CLAIM_DAY):
        claim_file(actor=applicant, application=first, amount=first.estimated_cost, receipts=[png()])
    client = client_for(finance)
    few = [_queries(client, url(name)) for name in ("expense_application_list", "expense_claim_list")]
    for index in range(6):
        other = approved(applicant, by=manager, guest=f"客人{index}", cost="100.00")
        with at(CLAIM_DAY):
            claim_file(actor=applicant, application=other, amount=other.estimated_cost, receipts=[png()])
    many = [_queries(client, url(name)) for name in ("expense_application_list", "expense_claim_list")]
    assert many == few


def test_the_lists_filter_and_export(client_for, applicant, manager, finance, entertainment_budget):
    """DSH-03: the export has exactly the filtered rows."""
    approved(applicant, by=manager, guest="已批客人")
    filed(applicant, guest="待批客人")
    client = client_for(finance)
    page = client.get(url("expense_application_list"), {"status": "pending", "sort": "-event"}).content.decode()
    assert "待批客人" in page and "已批客人" not in page
    response = client.get(url("expense_application_list"), {"status": "pending", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row for row in sheet.iter_rows(values_only=True) if "待批客人" in row]
    assert not [row for row in sheet.iter_rows(values_only=True) if "已批客人" in row]
    claims = client.get(url("expense_claim_list"), {"export": "xlsx"})
    assert claims["Content-Type"].startswith("application/vnd.openxmlformats")
    mine = client_for(applicant).get(url("expense_application_list"), {"mine": "on"}).content.decode()
    assert "待批客人" in mine
