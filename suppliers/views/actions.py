"""The steps on a supplier's page, each a POST to one service (SUP-01 … SUP-07). The view only
parses the form; the service decides. A refusal re-renders the page with the service's message
(400, or 403 for a role that may never take the step) and nothing is written."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.core.errors import DomainError, PermissionDenied

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
    goods_lines_of,
)
from ..permissions import survey_department_of
from ..services.documents import supplier_upload_contract, supplier_upload_document
from ..services.register import supplier_update
from ..services.stages import (
    supplier_activate,
    supplier_advance,
    supplier_decide,
    supplier_reactivate,
    supplier_reject,
    supplier_suspend,
)
from ..services.survey import supplier_score, supplier_set_goods_lines, supplier_sign_finding
from .file_page import detail_context, supplier_for


def _finding(actor, supplier, data):
    department = data.get("department") or survey_department_of(actor) or ""
    return supplier_sign_finding(
        actor=actor, supplier=supplier, department=department, findings=data["findings"], score=data["score"]
    )


def _decide(actor, supplier, data):
    return supplier_decide(actor=actor, supplier=supplier, decision=data["decision"], comment=data["comment"])


# action -> (form class, the service call, the message when done)
STEPS = {
    "advance": (
        AdvanceForm,
        lambda actor, supplier, data: supplier_advance(actor=actor, supplier=supplier, note=data["note"]),
        gettext_lazy("The supplier moved on to the next stage."),
    ),
    "reject": (
        ReasonForm,
        lambda actor, supplier, data: supplier_reject(actor=actor, supplier=supplier, reason=data["reason"]),
        gettext_lazy("The candidate was rejected; its file is closed."),
    ),
    "decide": (DecideForm, _decide, gettext_lazy("Your decision is recorded.")),
    "activate": (
        ActivateForm,
        lambda actor, supplier, data: supplier_activate(
            actor=actor, supplier=supplier, payment_terms=data["payment_terms"]
        ),
        gettext_lazy("The supplier is active; its file is archived."),
    ),
    "suspend": (
        ReasonForm,
        lambda actor, supplier, data: supplier_suspend(actor=actor, supplier=supplier, reason=data["reason"]),
        gettext_lazy("The supplier is suspended."),
    ),
    "reactivate": (
        ReasonForm,
        lambda actor, supplier, data: supplier_reactivate(actor=actor, supplier=supplier, reason=data["reason"]),
        gettext_lazy("The supplier is active again."),
    ),
    "notes": (
        NotesForm,
        lambda actor, supplier, data: supplier_update(actor=actor, supplier=supplier, **data),
        gettext_lazy("Notes saved."),
    ),
    "score": (
        ScoreForm,
        lambda actor, supplier, data: supplier_score(actor=actor, supplier=supplier, **data),
        gettext_lazy("Score saved."),
    ),
    "finding": (FindingForm, _finding, gettext_lazy("Your department's findings are signed.")),
    "document": (
        DocumentForm,
        lambda actor, supplier, data: supplier_upload_document(
            actor=actor, supplier=supplier, kind=data["kind"], file=data["file"]
        ),
        gettext_lazy("Document uploaded."),
    ),
    "contract": (
        ContractForm,
        lambda actor, supplier, data: supplier_upload_contract(
            actor=actor, supplier=supplier, kind=data["kind"], signed_on=data["signed_on"], file=data["file"]
        ),
        gettext_lazy("Contract uploaded."),
    ),
}


def _refused(request, supplier, form, action: str, error: DomainError | None = None, formset=None):
    status = 400
    if error is not None:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        if isinstance(error, PermissionDenied):
            status = 403
    supplier = supplier_for(request, supplier.pk)  # fresh, with the whole file
    context = detail_context(request, supplier, bound=form, bound_action=action, bound_formset=formset)
    return render(request, "suppliers/supplier_detail.html", context, status=status)


def _done(request, supplier, message: str):
    messages.success(request, message)
    return HttpResponseRedirect(reverse("suppliers:supplier_detail", args=[supplier.pk]) + "#stage-bar")


def _application(request, supplier):
    """SUP-05: the reasons and policy, and the goods lines, saved together or not at all."""
    form = ApplicationForm(request.POST, prefix="application")
    formset = GoodsLineFormSet(request.POST, prefix="goods")
    if not (form.is_valid() and formset.is_valid()):
        if formset.non_form_errors() or any(formset.errors):
            form.add_error(None, _("Check the lines of goods."))
        return _refused(request, supplier, form, "application", formset=formset)
    try:
        with transaction.atomic():
            supplier_update(actor=request.user, supplier=supplier, **form.cleaned_data)
            supplier_set_goods_lines(actor=request.user, supplier=supplier, lines=goods_lines_of(formset))
    except DomainError as error:
        return _refused(request, supplier, form, "application", error, formset=formset)
    return _done(request, supplier, _("Approval application saved."))


@require_POST
def supplier_action(request, pk: int, action: str):
    supplier = supplier_for(request, pk, full=False)
    if action == "application":
        return _application(request, supplier)
    if action not in STEPS:
        raise Http404
    form_class, call, message = STEPS[action]
    form = form_class(request.POST, request.FILES, prefix=action)
    if not form.is_valid():
        return _refused(request, supplier, form, action)
    try:
        call(request.user, supplier, form.cleaned_data)
    except DomainError as error:
        return _refused(request, supplier, form, action, error)
    return _done(request, supplier, message)


urlpatterns = [
    path("<int:pk>/act/<slug:action>/", supplier_action, name="supplier_action"),
]
