"""The supplier's stages through the services: none skipped, each refusal saying what is
missing and changing nothing (SUP-01 … SUP-07)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.models import Notification
from suppliers.models import Stage, Supplier, SupplierStep
from suppliers.services.documents import supplier_upload_contract
from suppliers.services.register import supplier_update
from suppliers.services.stages import (
    supplier_activate,
    supplier_advance,
    supplier_decide,
    supplier_reactivate,
    supplier_reject,
    supplier_suspend,
)
from suppliers.services.survey import supplier_score, supplier_sign_finding

from .factories import complete_general_survey, pdf, sign_all, sign_contracts

pytestmark = pytest.mark.django_db
APPROVED_ON = datetime.datetime(2026, 5, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _snapshot(supplier: Supplier) -> tuple:
    supplier.refresh_from_db()
    return supplier.stage, supplier.steps.count(), supplier.history.count()


def test_it_goes_from_candidate_to_active_with_every_step_on_the_timeline(at, buyer, head):
    """SUP-02 SUP-07: seven stages in order, each step timestamped with who took it."""
    supplier = at(Stage.ACTIVE)
    steps = list(supplier.steps.filter(action__in=["register", "advance", "decide_approve", "activate"]))
    assert [step.to_stage for step in steps] == [
        "candidate", "general_survey", "onsite_survey", "approval", "approved", "contracted", "active",
    ]  # fmt: skip
    assert all(step.user in (buyer, head) and step.at for step in steps)
    assert supplier.code == f"SUP-{timezone.localdate().year}-0001"
    assert supplier.is_archived


@pytest.mark.parametrize(
    ("stage", "missing"),
    [
        (Stage.GENERAL_SURVEY, "Upload the company history"),
        (Stage.ONSITE_SURVEY, "Waiting for the on-site findings of: Technical, Design, Quality."),
        (Stage.APPROVAL, "The head of purchasing decides"),
        (Stage.APPROVED, "Upload the signed supply contract."),
        (Stage.CONTRACTED, "Activate the supplier with its payment terms."),
    ],
)
def test_no_stage_can_be_skipped_and_the_refusal_says_what_is_missing(at, buyer, stage, missing):
    """SUP-02: advancing an incomplete stage is refused with what is still missing; nothing changes."""
    supplier = at(stage)
    before = _snapshot(supplier)
    with pytest.raises(DomainError) as refused:
        supplier_advance(actor=buyer, supplier=supplier)
    assert missing in refused.value.message
    assert _snapshot(supplier) == before


def test_the_general_survey_needs_the_five_documents_both_notes_and_six_scores(at, buyer):
    """SUP-01 SUP-03: complete only when everything is there."""
    supplier = at(Stage.GENERAL_SURVEY)
    with pytest.raises(DomainError) as refused:
        supplier_advance(actor=buyer, supplier=supplier)
    message = refused.value.message
    expected = ["company history", "company profile", "financial statements", "product guide", "product catalogue",
                "interview", "technical meeting", "principle(s) 1, 2, 3, 4, 5, 6"]  # fmt: skip
    assert [part for part in expected if part not in message] == []
    complete_general_survey(supplier, buyer)
    supplier_advance(actor=buyer, supplier=supplier)
    assert Supplier.objects.get(pk=supplier.pk).stage == Stage.ONSITE_SURVEY


def test_findings_before_the_onsite_survey_are_refused(at, technical):
    """SUP-02 SUP-04: the on-site survey cannot be done before its stage."""
    supplier = at(Stage.GENERAL_SURVEY)
    with pytest.raises(DomainError, match="on-site survey stage"):
        supplier_sign_finding(actor=technical, supplier=supplier, department="technical", findings="好", score=4)
    assert not supplier.findings.exists()


def test_a_department_cannot_sign_for_another(at, technical, buyer):
    """SUP-04: nobody signs for another department, procurement included."""
    supplier = at(Stage.ONSITE_SURVEY)
    for person in (technical, buyer):
        with pytest.raises(PermissionDenied, match="own findings"):
            supplier_sign_finding(actor=person, supplier=supplier, department="design", findings="好", score=4)
    assert not supplier.findings.exists()


def test_the_onsite_survey_is_complete_when_every_required_department_signed(at, buyer, team, settings):
    """SUP-04: the required departments are a setting."""
    settings.SUPPLIER_SURVEY_DEPARTMENTS = ["technical", "quality"]
    supplier = at(Stage.ONSITE_SURVEY)
    supplier_update(actor=buyer, supplier=supplier, trading_reasons="价格合理")
    supplier_sign_finding(actor=team["technical"], supplier=supplier, department="technical", findings="好", score=5)
    with pytest.raises(DomainError, match="Quality"):
        supplier_advance(actor=buyer, supplier=supplier)
    supplier_sign_finding(actor=team["quality"], supplier=supplier, department="quality", findings="好", score=3)
    assert supplier_advance(actor=buyer, supplier=supplier).stage == Stage.APPROVAL


def test_a_department_signing_again_replaces_its_finding_and_keeps_the_history(at, technical):
    """SUP-04 ORG-03"""
    supplier = at(Stage.ONSITE_SURVEY)
    supplier_sign_finding(actor=technical, supplier=supplier, department="technical", findings="初评", score=2)
    finding = supplier_sign_finding(
        actor=technical, supplier=supplier, department="technical", findings="复评", score=4
    )
    assert supplier.findings.get().findings == "复评"
    assert finding.history.count() == 2


def test_the_application_needs_the_reasons_for_trading(at, buyer, team):
    """SUP-05"""
    supplier = at(Stage.ONSITE_SURVEY)
    sign_all(supplier, team)
    with pytest.raises(DomainError, match="reasons for trading"):
        supplier_advance(actor=buyer, supplier=supplier)


def test_only_the_head_of_purchasing_decides_and_not_on_an_application_of_their_own(at, buyer, head, gm):
    """SUP-05: procurement cannot approve its own application; management is read-only."""
    supplier = at(Stage.APPROVAL)
    for person in (buyer, gm):
        with pytest.raises(PermissionDenied):
            supplier_decide(actor=person, supplier=supplier, decision="approve", comment="")
    Supplier.objects.filter(pk=supplier.pk).update(application_submitted_by=head)
    with pytest.raises(PermissionDenied, match="submitted themselves"):
        supplier_decide(actor=head, supplier=supplier, decision="approve", comment="")
    assert Supplier.objects.get(pk=supplier.pk).stage == Stage.APPROVAL


def test_the_head_rejects_with_a_comment_and_the_applicant_is_told(at, buyer, head, django_capture_on_commit_callbacks):
    """SUP-05 SUP-02 JOB-10"""
    supplier = at(Stage.APPROVAL)
    with pytest.raises(DomainError, match="why"):
        supplier_decide(actor=head, supplier=supplier, decision="reject", comment="")
    with django_capture_on_commit_callbacks(execute=True):
        supplier_decide(actor=head, supplier=supplier, decision="reject", comment="价格过高")
    supplier.refresh_from_db()
    assert (supplier.stage, supplier.rejected_from, supplier.rejected_reason) == ("rejected", "approval", "价格过高")
    assert Notification.objects.filter(recipient=buyer, key__startswith=f"supplier-rejected:{supplier.pk}").exists()


def test_deciding_before_the_approval_stage_is_refused(at, head):
    """SUP-02 SUP-05"""
    supplier = at(Stage.ONSITE_SURVEY)
    with pytest.raises(DomainError, match="no approval application"):
        supplier_decide(actor=head, supplier=supplier, decision="approve", comment="")


def test_contracts_on_two_different_dates_are_refused(at, buyer):
    """SUP-06: both signed on the same day."""
    with time_machine.travel(APPROVED_ON, tick=False):
        supplier = at(Stage.APPROVED)
    with time_machine.travel(APPROVED_ON + datetime.timedelta(days=3), tick=False):
        with pytest.raises(DomainError, match="same day"):
            sign_contracts(supplier, buyer, supply_on=datetime.date(2026, 5, 13), quality_on=datetime.date(2026, 5, 14))
        assert supplier.documents.filter(kind="quality_contract").count() == 0
        with pytest.raises(DomainError, match="quality-assurance contract"):
            supplier_advance(actor=buyer, supplier=supplier)


def test_contracts_before_the_approval_are_refused(at, buyer):
    """SUP-05 SUP-06: the contracts follow the head's approval."""
    with time_machine.travel(APPROVED_ON, tick=False):
        supplier = at(Stage.APPROVED)
        with pytest.raises(DomainError, match="after the approval of 2026-05-12"):
            sign_contracts(supplier, buyer, supply_on=datetime.date(2026, 5, 11))
    assert not supplier.documents.filter(kind="supply_contract").exists()


def test_a_corrected_contract_date_is_checked_when_moving_on(at, buyer, head):
    """SUP-06: a new version may change a date; the step checks the two agree."""
    with time_machine.travel(APPROVED_ON, tick=False):
        supplier = at(Stage.APPROVED)
    first, second = datetime.date(2026, 5, 13), datetime.date(2026, 5, 14)
    with time_machine.travel(APPROVED_ON + datetime.timedelta(days=3), tick=False):
        sign_contracts(supplier, buyer, supply_on=first, quality_on=first)
        supplier_upload_contract(actor=buyer, supplier=supplier, kind="supply", signed_on=second, file=pdf())
        with pytest.raises(DomainError, match="both are signed on the same day"):
            supplier_advance(actor=buyer, supplier=supplier)
        supplier_upload_contract(actor=buyer, supplier=supplier, kind="quality", signed_on=second, file=pdf())
        assert supplier_advance(actor=buyer, supplier=supplier).stage == Stage.CONTRACTED


def test_activation_needs_contracts_and_payment_terms(at, buyer):
    """SUP-06 SUP-07: both contracts must exist before the supplier becomes active."""
    supplier = at(Stage.APPROVED)
    with pytest.raises(DomainError, match="contracts are signed"):
        supplier_activate(actor=buyer, supplier=supplier, payment_terms="月结30天")
    supplier = at(Stage.CONTRACTED)
    with pytest.raises(DomainError, match="payment terms"):
        supplier_activate(actor=buyer, supplier=supplier, payment_terms="  ")
    assert Supplier.objects.get(pk=supplier.pk).code is None


def test_activation_tells_the_departments_concerned(at, buyer, head, team, finance, django_capture_on_commit_callbacks):
    """SUP-07 JOB-10: procurement, the head, the survey departments and finance."""
    supplier = at(Stage.CONTRACTED)
    with django_capture_on_commit_callbacks(execute=True):
        supplier_activate(actor=buyer, supplier=supplier, payment_terms="月结60天")
    told = set(Notification.objects.filter(key__startswith=f"supplier-activated:{supplier.pk}:").values_list(
        "recipient__username", flat=True
    ))  # fmt: skip
    assert told == {"buyer", "purchasing_head", "technical_staff", "design_staff", "quality_staff", "finance"}


def test_the_active_file_is_archived(at, buyer):
    """SUP-07: read-only once active."""
    supplier = at(Stage.ACTIVE)
    with pytest.raises(DomainError, match="archived"):
        supplier_update(actor=buyer, supplier=supplier, interview_notes="改")
    with pytest.raises(DomainError, match="archived"):
        supplier_reject(actor=buyer, supplier=supplier, reason="不要了")
    with pytest.raises(DomainError, match="archived"):
        supplier_score(actor=buyer, supplier=supplier, principle=1, result="fail", note="改")


def test_an_active_supplier_is_suspended_and_reactivated_keeping_its_code(at, buyer):
    """SUP-07"""
    supplier = at(Stage.ACTIVE)
    code = supplier.code
    with pytest.raises(DomainError, match="reason"):
        supplier_suspend(actor=buyer, supplier=supplier, reason="")
    supplier_suspend(actor=buyer, supplier=supplier, reason="质量问题整改")
    with pytest.raises(DomainError, match="already suspended"):
        supplier_suspend(actor=buyer, supplier=supplier, reason="again")
    supplier = supplier_reactivate(actor=buyer, supplier=supplier, reason="整改完成")
    assert (supplier.code, supplier.stage, supplier.suspended_at) == (code, "active", None)
    assert list(supplier.steps.values_list("action", flat=True))[-2:] == ["suspend", "reactivate"]


def test_rejection_at_any_open_stage_needs_a_reason(at, buyer):
    """SUP-02"""
    for stage in (Stage.CANDIDATE, Stage.ONSITE_SURVEY, Stage.CONTRACTED):
        supplier = at(stage)
        with pytest.raises(DomainError, match="why"):
            supplier_reject(actor=buyer, supplier=supplier, reason=" ")
        supplier_reject(actor=buyer, supplier=supplier, reason="不合格")
        supplier.refresh_from_db()
        assert (supplier.stage, supplier.rejected_from) == ("rejected", stage)
        with pytest.raises(DomainError, match="rejected"):
            supplier_advance(actor=buyer, supplier=supplier)


def test_roles_outside_procurement_may_not_run_a_file(at, rep, outsider, gm, technical):
    """ORG-01 ORG-02: a sales rep, an operations user, management (read-only) and survey staff."""
    supplier = at(Stage.CANDIDATE)
    for person in (rep, outsider, gm, technical):
        with pytest.raises(PermissionDenied):
            supplier_advance(actor=person, supplier=supplier)
        with pytest.raises(PermissionDenied):
            supplier_reject(actor=person, supplier=supplier, reason="x")
    assert SupplierStep.objects.filter(supplier=supplier).count() == 1
