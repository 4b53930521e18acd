"""Supplier files at any stage, built through the services as procurement and the survey team
would build them (SUP-01 … SUP-07)."""

import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from suppliers.identity import CODE_CHARACTERS, check_digit
from suppliers.models import Principle, Stage, Supplier
from suppliers.models.documents import SURVEY_DOCUMENTS
from suppliers.services.documents import supplier_upload_contract, supplier_upload_document
from suppliers.services.register import supplier_register, supplier_update
from suppliers.services.stages import supplier_activate, supplier_advance, supplier_decide
from suppliers.services.survey import supplier_score, supplier_sign_finding

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64

_numbers = itertools.count(1)


def credit_code(seed: int | None = None) -> str:
    """A valid unified social credit code, different for each call."""
    seed = next(_numbers) if seed is None else seed
    body = "91440300" + "".join(CODE_CHARACTERS[(seed // 31**i) % 31] for i in range(9))
    return body + check_digit(body)


def pdf(name: str = "document.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def register(buyer, **values) -> Supplier:
    number = next(_numbers)
    defaults = {
        "name": f"测试供应商{number}有限公司",
        "credit_code": credit_code(number + 1000),
        "legal_representative": "王五",
        "goods": "不锈钢紧固件",
        "source": "referral",
    }
    return supplier_register(actor=buyer, **{**defaults, **values})


def complete_general_survey(supplier, buyer) -> None:
    for kind in SURVEY_DOCUMENTS:
        supplier_upload_document(actor=buyer, supplier=supplier, kind=kind, file=pdf(f"{kind}.pdf"))
    supplier_update(
        actor=buyer, supplier=supplier, interview_notes="生产稳定，方针明确。", technical_meeting_notes="技术交流顺利。"
    )
    for principle in Principle.values:
        supplier_score(actor=buyer, supplier=supplier, principle=principle, result="pass", note="符合要求")


def sign_all(supplier, team) -> None:
    for code, person in team.items():
        supplier_sign_finding(actor=person, supplier=supplier, department=code, findings="现场良好", score=4)


def sign_contracts(supplier, buyer, *, supply_on=None, quality_on=None) -> None:
    today = timezone.localdate()
    supplier_upload_contract(actor=buyer, supplier=supplier, kind="supply", signed_on=supply_on or today, file=pdf())
    supplier_upload_contract(actor=buyer, supplier=supplier, kind="quality", signed_on=quality_on or today, file=pdf())


def supplier_at(stage: str, *, buyer, team, head, **values) -> Supplier:
    """A supplier taken through the services up to `stage` (not `rejected`)."""
    supplier = register(buyer, **values)
    steps = [
        (Stage.GENERAL_SURVEY, lambda: supplier_advance(actor=buyer, supplier=supplier)),
        (Stage.ONSITE_SURVEY, lambda: (
            complete_general_survey(supplier, buyer), supplier_advance(actor=buyer, supplier=supplier),
        )),
        (Stage.APPROVAL, lambda: (
            sign_all(supplier, team),
            supplier_update(actor=buyer, supplier=supplier, trading_reasons="质量稳定，价格合理。"),
            supplier_advance(actor=buyer, supplier=supplier),
        )),
        (Stage.APPROVED, lambda: supplier_decide(actor=head, supplier=supplier, decision="approve", comment="同意")),
        (Stage.CONTRACTED, lambda: (
            sign_contracts(supplier, buyer),
            supplier_advance(actor=buyer, supplier=supplier),
        )),
        (Stage.ACTIVE, lambda: supplier_activate(actor=buyer, supplier=supplier, payment_terms="月结60天")),
    ]  # fmt: skip
    for target, step in steps:
        if supplier.stage == stage:
            break
        step()
        supplier.refresh_from_db()
        assert supplier.stage == target, (supplier.stage, target)
    return supplier
