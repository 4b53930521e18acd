"""What the supplier's page shows (SUP-01 … SUP-07): the stage bar with what is still missing,
the survey, the findings, the application, the contracts, the timeline and the history, and
the forms of the steps the user may take now. Built from one `with_file()` read, so the page
runs the same number of queries whatever the size of the file."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm_project.accounts.models import Department
from crm_project.core.history import history_entries

from ..completeness import SupplierParts, missing_to_advance
from ..forms import (
    ActivateForm,
    AdvanceForm,
    ApplicationForm,
    ContractForm,
    DecideForm,
    DocumentForm,
    FindingForm,
    GoodsLineFormSet,
    NotesForm,
    ReasonForm,
    ScoreForm,
)
from ..models import Principle, ScoreResult, Stage
from ..models.documents import CONTRACTS, SURVEY_DOCUMENTS, DocumentKind
from ..models.suppliers import STAGE_ORDER
from ..permissions import (
    can_decide,
    can_register,
    can_reject,
    can_run_file,
    can_score,
    can_suspend,
    survey_department_codes,
    survey_department_of,
)
from ..selectors import supplier_visible_to, with_file
from ..services.documents import CONTRACT_STAGES, DOCUMENT_STAGES
from ..services.register import APPLICATION_STAGES, GENERAL_SURVEY_STAGES
from ..services.stages import NEXT_BY_ADVANCE

STEP_LABELS = {
    "register": _("registered"),
    "advance": _("moved on"),
    "reject": pgettext_lazy("supplier step", "rejected"),
    "decide_approve": _("application approved"),
    "decide_reject": _("application rejected"),
    "activate": pgettext_lazy("supplier step", "activated"),
    "suspend": _("suspended"),
    "reactivate": _("re-activated"),
    "finding": _("on-site findings signed"),
}
ACTION_LABELS = {
    "advance": _("Move on to the next stage"),
    "reject": _("Reject the candidate"),
    "decide": _("Decide on the application"),
    "activate": _("Activate the supplier"),
    "suspend": _("Suspend the supplier"),
    "reactivate": _("Re-activate the supplier"),
    "notes": _("Save the notes"),
    "score": _("Save the score"),
    "finding": _("Sign the findings"),
    "application": _("Save the application"),
    "document": _("Upload the document"),
    "contract": _("Upload the contract"),
}


def supplier_for(request, pk: int, *, full: bool = True):
    """The supplier if the user may see it, else 404 (ORG-02)."""
    queryset = supplier_visible_to(request.user)
    if full:
        queryset = with_file(queryset)
    return get_object_or_404(queryset, pk=pk)


def department_names() -> dict:
    """{code: name} of the survey departments, read once for the page."""
    codes = survey_department_codes()
    return {department.code: department.name for department in Department.objects.filter(code__in=codes)}


def allowed_actions(user, supplier) -> set[str]:
    """The steps the user may take on this file now; the page shows only their forms."""
    stage = supplier.stage
    allowed = set()
    if stage == Stage.ACTIVE:
        if can_suspend(user):
            allowed.add("reactivate" if supplier.is_suspended else "suspend")
        return allowed
    if stage == Stage.REJECTED:
        return allowed
    if can_reject(user):
        allowed.add("reject")
    if can_run_file(user):
        if stage in NEXT_BY_ADVANCE:
            allowed.add("advance")
        if stage in GENERAL_SURVEY_STAGES:
            allowed.add("notes")
        if stage in DOCUMENT_STAGES:
            allowed.add("document")
        if stage in APPLICATION_STAGES:
            allowed.add("application")
        if stage in CONTRACT_STAGES:
            allowed.add("contract")
        if stage == Stage.CONTRACTED:
            allowed.add("activate")
    if can_score(user) and stage in GENERAL_SURVEY_STAGES:
        allowed.add("score")
    if stage == Stage.ONSITE_SURVEY and survey_department_of(user):
        allowed.add("finding")
    if can_decide(user) and stage == Stage.APPROVAL and supplier.application_submitted_by_id != user.pk:
        allowed.add("decide")
    return allowed


def stage_bar(supplier) -> list[dict]:
    """Each stage of SUP-02 as done, current or still to come; a rejected file shows where it
    was stopped."""
    stopped = supplier.rejected_from if supplier.stage == Stage.REJECTED else None
    current = stopped or supplier.stage
    index = STAGE_ORDER.index(current) if current in STAGE_ORDER else 0
    bar = []
    for position, stage in enumerate(STAGE_ORDER):
        if position < index or (stage == Stage.ACTIVE and supplier.stage == Stage.ACTIVE):
            state = "done"
        elif position == index:
            state = "rejected" if stopped else "current"
        else:
            state = "skipped" if stopped else "todo"
        bar.append({"stage": stage, "label": Stage(stage).label, "state": state, "number": position + 1})
    return bar


def _documents(supplier, kinds) -> list[dict]:
    versions = list(supplier.documents.all())
    return [
        {
            "kind": kind,
            "label": DocumentKind(kind).label,
            "versions": [document for document in versions if document.kind == kind],
        }
        for kind in kinds
    ]


def _empty_forms() -> dict:
    return {
        "advance": AdvanceForm(prefix="advance"),
        "reject": ReasonForm(prefix="reject"),
        "decide": DecideForm(prefix="decide"),
        "activate": ActivateForm(prefix="activate"),
        "suspend": ReasonForm(prefix="suspend"),
        "reactivate": ReasonForm(prefix="reactivate"),
        "score": ScoreForm(prefix="score"),
        "document": DocumentForm(prefix="document"),
        "contract": ContractForm(prefix="contract"),
    }


def detail_context(request, supplier, *, bound=None, bound_action: str = "", bound_formset=None) -> dict:
    user = request.user
    names = department_names()
    parts = SupplierParts.of(supplier)
    missing = missing_to_advance(parts, names=names)
    allowed = allowed_actions(user, supplier)
    forms = {name: form for name, form in _empty_forms().items() if name in allowed}
    if "notes" in allowed:
        forms["notes"] = NotesForm(
            prefix="notes",
            initial={
                "interview_notes": supplier.interview_notes,
                "technical_meeting_notes": supplier.technical_meeting_notes,
            },
        )
    own_department = survey_department_of(user)
    if "finding" in allowed:
        forms["finding"] = FindingForm(prefix="finding", initial={"department": own_department})
    goods_formset = None
    if "application" in allowed:
        forms["application"] = ApplicationForm(
            prefix="application",
            initial={"trading_reasons": supplier.trading_reasons, "trading_policy": supplier.trading_policy},
        )
        goods_formset = GoodsLineFormSet(
            prefix="goods",
            initial=[{"item": line.item, "expected_amount": line.expected_amount} for line in parts.goods_lines],
        )
    if bound is not None and bound_action in forms:
        forms[bound_action] = bound
        if bound_action == "application" and bound_formset is not None:
            goods_formset = bound_formset
    # A refused step whose form is not on the page (no longer allowed) still says why.
    action_error = ""
    if bound is not None and bound_action not in forms:
        action_error = " ".join(str(message) for errors in bound.errors.values() for message in errors)

    findings = [
        {
            "code": code,
            "name": names.get(code, code),
            "finding": parts.findings.get(code),
            "can_sign": "finding" in forms and own_department == code,
        }
        for code in survey_department_codes()
    ]
    scores = [
        {"number": number, "label": label, "score": parts.scores.get(number)} for number, label in Principle.choices
    ]
    results = [score.result for score in parts.scores.values()]
    steps = [{"step": step, "label": STEP_LABELS.get(step.action, step.action)} for step in supplier.steps.all()]
    return {
        "supplier": supplier,
        "stage_bar": stage_bar(supplier),
        "missing": missing,
        "forms": forms,
        "goods_formset": goods_formset,
        "bound_action": bound_action,
        "action_error": action_error,
        "action_labels": ACTION_LABELS,
        "can_edit": can_run_file(user) and not supplier.is_archived,
        "can_register": can_register(user),
        "documents": _documents(supplier, SURVEY_DOCUMENTS),
        "contracts": _documents(supplier, CONTRACTS),
        "scores": scores,
        "score_counts": [
            {"label": label, "count": results.count(value), "result": value} for value, label in ScoreResult.choices
        ],
        "findings": findings,
        "goods_lines": parts.goods_lines,
        "goods_total": sum((line.expected_amount for line in parts.goods_lines), start=0),
        "latest_documents": parts.documents,
        "later_registrations": list(supplier.later_registrations.all()),
        "steps": steps,
        "history": history_entries(supplier),
        "show_report": supplier.stage not in (Stage.CANDIDATE, Stage.GENERAL_SURVEY, Stage.ONSITE_SURVEY)
        or supplier.application_submitted_at is not None,
    }
