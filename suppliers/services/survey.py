"""The survey team's records: the six principles scored (SUP-01), each department's on-site
findings signed by its own staff (SUP-04), the application's list of goods (SUP-05)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.accounts.models import Department, User
from crm_project.core.errors import DomainError

from ..models import Principle, ScoreResult, Stage, Supplier, SupplierGoodsLine, SupplierScore, SurveyFinding
from ..permissions import can_run_file, can_score, can_sign_finding, survey_department_codes
from .common import locked, record_step, require, require_stage
from .register import APPLICATION_STAGES, GENERAL_SURVEY_STAGES

NOTE_MAX = 5000
MAX_GOODS_LINES = 50
MAX_AMOUNT = Decimal("999999999999.99")


def _history(row, actor, reason: str) -> None:
    row._history_user = actor
    row._change_reason = reason


def supplier_score(*, actor: User, supplier: Supplier, principle, result: str, note: str) -> SupplierScore:
    """SUP-01: one principle scored pass / conditional / fail with a note; scoring it again
    replaces the score (the history keeps the old one)."""
    note = (note or "").strip()
    try:
        principle = int(principle)
    except (TypeError, ValueError):
        principle = 0
    if principle not in Principle.values:
        raise DomainError(_("The principles are numbered 1 to 6."), field="principle")
    if result not in ScoreResult.values:
        raise DomainError(_("Score it pass, conditional or fail."), field="result")
    if not note:
        raise DomainError(_("Add a note to the score: what the team saw."), field="note")
    if len(note) > NOTE_MAX:
        raise DomainError(_("Too long: at most %(n)d characters.") % {"n": NOTE_MAX}, field="note")
    with transaction.atomic():
        supplier = locked(supplier)
        require(can_score(actor), _("Only the survey team scores the selection principles."))
        require_stage(supplier, GENERAL_SURVEY_STAGES, _("Scoring the selection principles"))
        score = SupplierScore.objects.filter(supplier=supplier, principle=principle).first() or SupplierScore(
            supplier=supplier, principle=principle
        )
        score.result, score.note, score.scored_by, score.scored_at = result, note, actor, timezone.now()
        _history(score, actor, _("Scored"))
        score.save()
    return score


def supplier_sign_finding(*, actor: User, supplier: Supplier, department: str, findings: str, score) -> SurveyFinding:
    """SUP-04: a survey department's staff record and sign their department's findings and
    score (1–5); nobody signs for another department."""
    findings = (findings or "").strip()
    code = str(department or "").strip()
    if code not in survey_department_codes():
        raise DomainError(
            _("The on-site survey is signed by these departments: %(codes)s.")
            % {"codes": ", ".join(survey_department_codes())},
            field="department",
        )
    require(can_sign_finding(actor, code), _("Only the staff of a department sign its own findings."))
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise DomainError(_("Score the supplier from 1 (poor) to 5 (excellent)."), field="score")
    if not findings:
        raise DomainError(_("Record what your department found on site."), field="findings")
    if len(findings) > NOTE_MAX:
        raise DomainError(_("Too long: at most %(n)d characters.") % {"n": NOTE_MAX}, field="findings")
    with transaction.atomic():
        supplier = locked(supplier)
        require_stage(supplier, (Stage.ONSITE_SURVEY,), _("Signing on-site findings"))
        department_row = Department.objects.get(code=code)
        finding = SurveyFinding.objects.filter(supplier=supplier, department=department_row).first() or SurveyFinding(
            supplier=supplier, department=department_row
        )
        again = finding.pk is not None
        finding.findings, finding.score = findings, score
        finding.signed_by, finding.signed_at = actor, timezone.now()
        _history(finding, actor, _("Signed"))
        finding.save()
        record_step(
            supplier,
            actor=actor,
            action="finding",
            from_stage=supplier.stage,
            note=(
                _("%(department)s signed again: score %(score)d/5")
                if again
                else _("%(department)s signed: score %(score)d/5")
            )
            % {"department": department_row.name, "score": score},
        )
    return finding


def _parse_goods_lines(lines) -> list[tuple[str, Decimal]]:
    if not isinstance(lines, list | tuple):
        raise DomainError(_("Give the goods as a list of lines."), field="goods_lines")
    if len(lines) > MAX_GOODS_LINES:
        raise DomainError(_("At most %(n)d lines of goods.") % {"n": MAX_GOODS_LINES}, field="goods_lines")
    parsed = []
    for line in lines:
        item = str((line or {}).get("item", "") if isinstance(line, dict) else "").strip()
        if not item:
            raise DomainError(_("Each line of goods needs the goods' name."), field="goods_lines")
        if len(item) > 200:
            raise DomainError(_("Too long: at most %(n)d characters.") % {"n": 200}, field="goods_lines")
        try:
            amount = Decimal(str(line.get("expected_amount", ""))).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError, TypeError):
            amount = Decimal(0)
        if not (Decimal(0) < amount <= MAX_AMOUNT):
            raise DomainError(
                _("Give %(item)s an expected amount in yuan, more than 0.") % {"item": item}, field="goods_lines"
            )
        parsed.append((item, amount))
    return parsed


def supplier_set_goods_lines(*, actor: User, supplier: Supplier, lines) -> list[SupplierGoodsLine]:
    """SUP-05: the application's list of goods with expected amounts, replaced as a whole."""
    parsed = _parse_goods_lines(lines)
    with transaction.atomic():
        supplier = locked(supplier)
        require(can_run_file(actor), _("Only procurement writes the approval application."))
        require_stage(supplier, APPLICATION_STAGES, _("The list of goods of the application"))
        SupplierGoodsLine.objects.filter(supplier=supplier).delete()
        rows = []
        for item, amount in parsed:
            row = SupplierGoodsLine(supplier=supplier, item=item, expected_amount=amount)
            _history(row, actor, _("Goods list"))
            row.save()
            rows.append(row)
    return rows
