"""New-customer special fees 附表3 (EXP-09)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.models import Notification
from expenses.models import EntryKind, LedgerEntry, SpecialFeeApplication, SpecialFeeStatus
from expenses.services.special_fees import (
    special_fee_apply,
    special_fee_approve,
    special_fee_pay,
    special_fee_record_contract,
    special_fee_reject,
)
from tests.customers.factories import CustomerFactory, PurchaseFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 10, 12)
PLANNED = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _setup(settings, db, time_machine):
    time_machine.move_to("2026-10-12 10:00 +0800")


@pytest.fixture
def prospect(rep):
    return CustomerFactory(owner=rep, name="新客户有限公司", status="prospect")


def _apply(rep, customer, **overrides):
    data = {"planned_contract_date": PLANNED, "amount": "2000.00", "purpose": "首单签约招待"} | overrides
    return special_fee_apply(actor=rep, customer=customer, **data)


def _approved(rep, customer, manager, director, finance):
    application = _apply(rep, customer)
    for person in (manager, director, finance):
        application = special_fee_approve(actor=person, application=application)
    return application


def test_approval_goes_up_manager_director_finance_each_timestamped(
    rep, prospect, manager, director, finance, django_capture_on_commit_callbacks
):
    """EXP-09: approved level by level; each level is told when it is its turn."""
    with django_capture_on_commit_callbacks(execute=True):
        application = _apply(rep, prospect)
    assert (application.status, application.filed_on) == (SpecialFeeStatus.PENDING, TODAY)
    assert Notification.objects.filter(recipient=manager, kind="special-fee").exists()
    assert not Notification.objects.filter(recipient=director).exists()
    with django_capture_on_commit_callbacks(execute=True):
        application = special_fee_approve(actor=manager, application=application)
    assert application.status == SpecialFeeStatus.MANAGER_APPROVED and application.manager_at
    assert Notification.objects.filter(recipient=director, kind="special-fee").exists()
    with django_capture_on_commit_callbacks(execute=True):
        application = special_fee_approve(actor=director, application=application)
    assert Notification.objects.filter(recipient=finance, kind="special-fee").exists()
    with django_capture_on_commit_callbacks(execute=True):
        application = special_fee_approve(actor=finance, application=application)
    application.refresh_from_db()
    assert application.status == SpecialFeeStatus.APPROVED
    assert (application.manager, application.director, application.finance) == (manager, director, finance)
    assert application.manager_at <= application.director_at <= application.finance_at
    assert Notification.objects.filter(recipient=rep, key=f"special-fee-approved:{application.pk}").exists()


def test_out_of_order_own_or_double_approvals_are_refused(rep, prospect, sales, director, finance, outsider):
    """EXP-09: in order; nobody approves their own application or two levels of it."""
    application = _apply(rep, prospect)
    for person in (director, finance):
        with pytest.raises(DomainError, match="sales manager"):
            special_fee_approve(actor=person, application=application)
    with pytest.raises(PermissionDenied):
        special_fee_approve(actor=rep, application=application)
    with pytest.raises(PermissionDenied):
        special_fee_approve(actor=outsider, application=application)
    both = UserFactory(username="both", department=sales, roles=["sales_manager", "sales_director"])
    special_fee_approve(actor=both, application=application)
    with pytest.raises(DomainError, match="already approved"):
        special_fee_approve(actor=both, application=application)
    application.refresh_from_db()
    assert application.status == SpecialFeeStatus.MANAGER_APPROVED


def test_an_application_on_or_after_the_contract_date_is_rejected_as_invalid(
    rep, prospect, manager, django_capture_on_commit_callbacks
):
    """EXP-09: applied for on the day the contract was signed → recorded, invalid, not approvable."""
    with django_capture_on_commit_callbacks(execute=True):
        application = _apply(rep, prospect, contract_signed_on=TODAY)
    assert application.status == SpecialFeeStatus.INVALID
    with pytest.raises(DomainError, match="waits for no approval"):
        special_fee_approve(actor=manager, application=application)
    later = _apply(rep, prospect, contract_signed_on=TODAY - datetime.timedelta(days=3))
    assert later.status == SpecialFeeStatus.INVALID
    assert not Notification.objects.filter(recipient=manager).exists()


def test_a_contract_signed_on_or_before_the_filing_day_makes_it_invalid(rep, prospect, manager, time_machine):
    """EXP-09: recording the contract date afterwards applies the same rule."""
    application = _apply(rep, prospect)
    special_fee_approve(actor=manager, application=application)
    application = special_fee_record_contract(actor=rep, application=application, signed_on=TODAY)
    assert application.status == SpecialFeeStatus.INVALID
    fine = _apply(rep, prospect)
    time_machine.move_to("2026-10-20 10:00 +0800")
    fine = special_fee_record_contract(actor=rep, application=fine, signed_on=datetime.date(2026, 10, 19))
    assert fine.status == SpecialFeeStatus.PENDING and fine.contract_signed_on == datetime.date(2026, 10, 19)
    with pytest.raises(DomainError, match="already recorded"):
        special_fee_record_contract(actor=rep, application=fine, signed_on=datetime.date(2026, 10, 19))


def test_paid_only_once_approved_and_after_the_customer_paid(rep, prospect, manager, director, finance, client_for):
    """EXP-09, EXP-03: payout only after the customer has paid; posted to the ledger."""
    application = _apply(rep, prospect)
    with pytest.raises(DomainError, match="approved"):
        special_fee_pay(actor=finance, application=application)
    application = _approved(rep, prospect, manager, director, finance)
    PurchaseFactory(customer=prospect, month=datetime.date(2026, 10, 1), collected_amount=Decimal("0"))
    with pytest.raises(DomainError, match="has not paid"):
        special_fee_pay(actor=finance, application=application)
    with pytest.raises(PermissionDenied):
        special_fee_pay(actor=manager, application=application)
    PurchaseFactory(customer=prospect, month=datetime.date(2026, 11, 1), collected_amount=Decimal("500"))
    page = client_for(finance).get(f"/fees/special-fees/{application.pk}/").content.decode()
    assert 'id="pay-form"' in page and "has not paid" not in page
    application = special_fee_pay(actor=finance, application=application)
    assert application.status == SpecialFeeStatus.PAID and application.paid_at
    entry = LedgerEntry.objects.get(kind=EntryKind.SPECIAL_FEE)
    assert (entry.amount, entry.rep, entry.customer) == (Decimal("2000.00"), rep, prospect)


def test_rejection_needs_a_reason_and_closes_it(rep, prospect, manager):
    """EXP-09"""
    application = _apply(rep, prospect)
    with pytest.raises(DomainError, match="why"):
        special_fee_reject(actor=manager, application=application, note="  ")
    application = special_fee_reject(actor=manager, application=application, note="预算不足")
    assert application.status == SpecialFeeStatus.REJECTED and application.decided_note == "预算不足"


def test_bad_input_is_refused_and_nothing_is_filed(rep, other_rep, prospect, clerk):
    """EXP-09: amounts in yuan to the fen, a future planned date, a purpose, own customers."""
    for overrides, message in [
        ({"amount": "-5"}, "more than zero"),
        ({"amount": "abc"}, "number"),
        ({"amount": "1.234"}, "two decimals"),
        ({"purpose": " "}, "what the special fee is for"),
        ({"planned_contract_date": TODAY}, "after today"),
        ({"contract_signed_on": TODAY + datetime.timedelta(days=1)}, "future"),
    ]:
        with pytest.raises(DomainError, match=message):
            _apply(rep, prospect, **overrides)
    with pytest.raises(PermissionDenied):
        _apply(other_rep, prospect)
    with pytest.raises(PermissionDenied):
        _apply(clerk, prospect)
    assert not SpecialFeeApplication.objects.exists()


# --- pages, form and API -------------------------------------------------------------------------


def test_the_rep_applies_on_the_page_and_the_manager_approves_there(rep, prospect, manager, client_for):
    """EXP-09"""
    client = client_for(rep)
    assert client.get("/fees/special-fees/new/").status_code == 200
    response = client.post("/fees/special-fees/new/", {"customer": prospect.pk, "planned_contract_date": "2026-11-02",
                                                       "amount": "-1", "purpose": "x"})  # fmt: skip
    assert response.status_code == 200 and "more than zero" in response.content.decode()
    response = client.post("/fees/special-fees/new/", {"customer": prospect.pk, "planned_contract_date": "2026-11-02",
                                                       "amount": "1500.50", "purpose": "签约前拜访"})  # fmt: skip
    application = SpecialFeeApplication.objects.get()
    assert response["Location"] == f"/fees/special-fees/{application.pk}/"
    manager_client = client_for(manager)
    page = manager_client.get(f"/fees/special-fees/{application.pk}/").content.decode()
    assert 'id="approve-form"' in page
    assert 'id="approve-form"' not in client.get(f"/fees/special-fees/{application.pk}/").content.decode()
    manager_client.post(f"/fees/special-fees/{application.pk}/approve/")
    application.refresh_from_db()
    assert application.status == SpecialFeeStatus.MANAGER_APPROVED
    assert "special-fee-table" in client.get("/fees/special-fees/").content.decode()


def test_approving_asks_once_what_is_approved(rep, prospect, manager, director, client_for):
    """EXP-09: the approve button asks, before anything is written, for which customer, asked
    by whom, how much and as what; only the person whose step it is sees it."""
    application = special_fee_approve(actor=manager, application=_apply(rep, prospect))
    page = client_for(director).get(f"/fees/special-fees/{application.pk}/").content.decode()
    question = page[page.index('id="approve-button"') :].split('data-confirm="', 1)[1].split('"', 1)[0]
    assert "the sales director" in question and "¥2,000.00" in question and "新客户有限公司" in question
    assert rep.display_name in question
    page = client_for(manager).get(f"/fees/special-fees/{application.pk}/").content.decode()
    assert 'id="approve-button"' not in page


def test_the_page_says_an_invalid_application_is_rejected(rep, prospect, client_for):
    """EXP-09"""
    client = client_for(rep)
    form = {"customer": prospect.pk, "planned_contract_date": "2026-11-02", "contract_signed_on": "2026-10-12",
            "amount": "100", "purpose": "x"}  # fmt: skip
    client.post("/fees/special-fees/new/", form)
    application = SpecialFeeApplication.objects.get()
    page = client.get(f"/fees/special-fees/{application.pk}/", follow=True).content.decode()
    assert "rejected as invalid" in page and 'id="invalid-notice"' in page


def test_form3_is_laid_out_like_the_paper_form(rep, prospect, manager, director, finance, client_for):
    """EXP-09, DSH-03: 附表3 with the four signature cells filled with names and times."""
    application = _approved(rep, prospect, manager, director, finance)
    response = client_for(rep).get(f"/fees/special-fees/{application.pk}/form3.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "新客户特殊费用申请表" in values and "新客户有限公司" in values and "贰仟元整" in values
    for label in ("申请人", "销售部经理", "销售总监", "财务部"):
        assert label in values
    for person in (manager, director, finance):
        assert person.display_name in values


def test_the_api_files_approves_and_rejects(rep, prospect, manager, director, client_for):
    """EXP-09: /api/v1/special-fee-applications/ with approve/ and reject/."""
    client = client_for(rep)
    payload = {"customer": prospect.code, "planned_contract_date": "2026-11-02", "amount": "800.00", "purpose": "首单"}
    response = client.post("/api/v1/special-fee-applications/", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["amount"], body["customer"], body["rep"]) == (
        "pending",
        "800.00",
        prospect.code,
        "rep",
    )
    assert client.post(f"/api/v1/special-fee-applications/{body['id']}/approve/").status_code == 403
    response = client_for(director).post(f"/api/v1/special-fee-applications/{body['id']}/approve/")
    assert response.status_code == 400 and "sales manager" in str(response.json())
    approved = client_for(manager).post(f"/api/v1/special-fee-applications/{body['id']}/approve/").json()
    assert approved["status"] == "manager_approved" and approved["manager"] == "manager"
    response = client_for(director).post(
        f"/api/v1/special-fee-applications/{body['id']}/reject/", {"note": "不符合"}, content_type="application/json"
    )
    assert response.json()["status"] == "rejected"
    invalid = client.post("/api/v1/special-fee-applications/", payload | {"contract_signed_on": "2026-10-01"},
                          content_type="application/json")  # fmt: skip
    assert (
        invalid.status_code == 201 and invalid.json()["status"] == "invalid" and "invalid" in invalid.json()["detail"]
    )
    bad = client.post("/api/v1/special-fee-applications/", payload | {"amount": "ten"}, content_type="application/json")
    assert bad.status_code == 400 and SpecialFeeApplication.objects.count() == 2


def test_outsiders_get_404_everywhere(rep, prospect, other_rep, outsider, gm, client_for):
    """EXP-13, ORG-02"""
    application = _apply(rep, prospect)
    for person in (other_rep, outsider, gm):
        client = client_for(person)
        for url in (f"/fees/special-fees/{application.pk}/", f"/fees/special-fees/{application.pk}/form3.xlsx"):
            assert client.get(url).status_code == 404, (person, url)
        assert client.post(f"/fees/special-fees/{application.pk}/approve/").status_code == 404
        assert client.get(f"/api/v1/special-fee-applications/{application.pk}/").status_code == 404
        assert client.post(f"/api/v1/special-fee-applications/{application.pk}/approve/").status_code == 404
        assert client.get("/api/v1/special-fee-applications/").json()["count"] == 0
    for person in (outsider, gm):
        assert client_for(person).get("/fees/special-fees/").status_code == 404
    assert prospect.name not in client_for(other_rep).get("/fees/special-fees/").content.decode()
    response = client_for(other_rep).post(
        "/api/v1/special-fee-applications/",
        {"customer": prospect.code, "planned_contract_date": "2026-11-02", "amount": "1", "purpose": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400  # another rep's customer reads as unknown


def test_the_list_runs_a_constant_number_of_queries(rep, client_for):
    """DSH-03"""
    client = client_for(rep)

    def add(n):
        for _ in range(n):
            _apply(rep, CustomerFactory(owner=rep))

    add(3)
    with CaptureQueriesContext(connection) as few:
        client.get("/fees/special-fees/")
    add(20)
    with CaptureQueriesContext(connection) as many:
        client.get("/fees/special-fees/")
    assert len(few) == len(many)
