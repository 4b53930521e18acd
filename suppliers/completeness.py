"""What each stage still needs before the supplier can move on (SUP-02 … SUP-06), as sentences a
user can act on. The same lists refuse a step in the services and draw the stage bar on the
page, so both always agree.

Each function takes the supplier with its documents, scores, findings and goods lines; the
page passes them prefetched (a constant number of queries), the services fresh from the
database after taking the row lock.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from crm_project.accounts.models import Department

from .models import DocumentKind, Principle, Stage, Supplier
from .models.documents import CONTRACTS, SURVEY_DOCUMENTS
from .permissions import survey_department_codes


@dataclass
class SupplierParts:
    """A supplier's file as the checks read it: the newest version of each document kind, the
    scores by principle, the findings by department code, the goods lines."""

    supplier: Supplier
    documents: dict  # kind -> newest SupplierDocument
    scores: dict  # principle -> SupplierScore
    findings: dict  # department code -> SurveyFinding
    goods_lines: list

    @classmethod
    def of(cls, supplier: Supplier) -> "SupplierParts":
        """From `supplier.documents/scores/findings/goods_lines.all()`: prefetched or not."""
        newest = {}
        for document in supplier.documents.all():
            if document.kind not in newest or document.version > newest[document.kind].version:
                newest[document.kind] = document
        return cls(
            supplier=supplier,
            documents=newest,
            scores={score.principle: score for score in supplier.scores.all()},
            findings={finding.department.code: finding for finding in supplier.findings.all()},
            goods_lines=list(supplier.goods_lines.all()),
        )


def general_survey_missing(parts: SupplierParts) -> list[str]:
    """SUP-01, SUP-03: the five documents, the two sets of notes, the six principles scored."""
    missing = [
        _("Upload the %(document)s.") % {"document": DocumentKind(kind).label}
        for kind in SURVEY_DOCUMENTS
        if kind not in parts.documents
    ]
    if not parts.supplier.interview_notes.strip():
        missing.append(_("Record the notes of the interview with the candidate's manager."))
    if not parts.supplier.technical_meeting_notes.strip():
        missing.append(_("Record the notes of the technical meeting."))
    unscored = [str(number) for number in Principle.values if number not in parts.scores]
    if unscored:
        missing.append(_("Score selection principle(s) %(numbers)s.") % {"numbers": ", ".join(unscored)})
    return missing


def unsigned_departments(parts: SupplierParts) -> list[str]:
    return [code for code in survey_department_codes() if code not in parts.findings]


def department_names(codes: list[str]) -> list[str]:
    names = {department.code: department.name for department in Department.objects.filter(code__in=codes)}
    return [names.get(code, code) for code in codes]


def onsite_survey_missing(parts: SupplierParts, *, names: dict | None = None) -> list[str]:
    """SUP-04: every required department has signed its findings."""
    unsigned = unsigned_departments(parts)
    if not unsigned:
        return []
    labels = [names.get(code, code) for code in unsigned] if names is not None else department_names(unsigned)
    return [_("Waiting for the on-site findings of: %(departments)s.") % {"departments": ", ".join(labels)}]


def application_missing(parts: SupplierParts) -> list[str]:
    """SUP-05: the report to the head of purchasing gives the reasons for trading. The trading
    policy and the goods list are part of it when procurement has them."""
    if not parts.supplier.trading_reasons.strip():
        return [_("Write the reasons for trading in the approval application.")]
    return []


def contracts_missing(parts: SupplierParts) -> list[str]:
    """SUP-06: both contracts, signed on the same day."""
    missing = [
        _("Upload the signed %(contract)s.") % {"contract": DocumentKind(kind).label}
        for kind in CONTRACTS
        if kind not in parts.documents
    ]
    if missing:
        return missing
    supply, quality = (parts.documents[kind] for kind in CONTRACTS)
    if supply.signed_on != quality.signed_on:
        return [
            _(
                "The supply contract is dated %(supply)s and the quality-assurance contract %(quality)s: "
                "both are signed on the same day. Upload the one with the wrong date again."
            )
            % {"supply": supply.signed_on.isoformat(), "quality": quality.signed_on.isoformat()}
        ]
    return []


def missing_to_advance(parts: SupplierParts, *, names: dict | None = None) -> list[str]:
    """What keeps the supplier at its current stage; empty when it may move on."""
    stage = parts.supplier.stage
    if stage == Stage.CANDIDATE:
        return []
    if stage == Stage.GENERAL_SURVEY:
        return general_survey_missing(parts)
    if stage == Stage.ONSITE_SURVEY:
        return onsite_survey_missing(parts, names=names) + application_missing(parts)
    if stage == Stage.APPROVAL:
        return [_("The head of purchasing decides on the approval application.")]
    if stage == Stage.APPROVED:
        return contracts_missing(parts)
    if stage == Stage.CONTRACTED:
        return [_("Activate the supplier with its payment terms.")]
    return []
