"""New-customer special fees 附表3 (EXP-09): list, apply, detail with approve / reject / record
the contract / pay, and the form as Excel."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError
from crm_project.core.listing import FilteredListView

from ..exports.finance import SpecialFeeExport
from ..exports.form3 import form3_response
from ..forms_payout import ContractDateForm, NoteForm, SpecialFeeFilter, SpecialFeeForm
from ..models import SpecialFeeStatus
from ..selectors import special_fee_visible_to
from ..services.special_fees import (
    STEPS,
    customer_has_paid,
    may_take_step,
    next_step,
    special_fee_apply,
    special_fee_approve,
    special_fee_pay,
    special_fee_record_contract,
    special_fee_reject,
)
from .signoff import fee_user_or_404


class SpecialFeeListView(FilteredListView):
    template_name = "expenses/special_fee_list.html"
    filterset_class = SpecialFeeFilter
    export_class = SpecialFeeExport
    sort_options = {
        "filed": (gettext_lazy("Filed"), "filed_on"),
        "customer": (gettext_lazy("Customer"), "customer__name"),
        "amount": (gettext_lazy("Amount"), "amount"),
        "status": (gettext_lazy("Status"), "status"),
    }
    default_sort = "-filed"

    def get(self, request, *args, **kwargs):
        fee_user_or_404(request.user)
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        return special_fee_visible_to(self.request.user).select_related("rep", "rep__department", "customer")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for application in context["object_list"]:
            step = next_step(application)
            application.waiting_for = step.label if step else ""
            application.mine_to_approve = may_take_step(user, application, step) if step else False
        context["can_apply"] = user.has_role(Role.SALES_REP)
        return context


def special_fee_apply_view(request):
    fee_user_or_404(request.user)
    if not request.user.has_role(Role.SALES_REP):
        return render(request, "403.html", status=403)
    form = SpecialFeeForm(request.POST or None, user=request.user, initial={"customer": request.GET.get("customer")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = special_fee_apply(
                actor=request.user, customer=data["customer"], planned_contract_date=data["planned_contract_date"],
                contract_signed_on=data["contract_signed_on"], amount=data["amount"], purpose=data["purpose"],
            )  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if application.status == SpecialFeeStatus.INVALID:
                messages.error(
                    request,
                    _("Recorded, but rejected as invalid: an application filed on or after the contract date "
                      "is not valid (EXP-09)."),
                )  # fmt: skip
            else:
                messages.success(request, _("Application filed; the sales manager approves it first."))
            return HttpResponseRedirect(reverse("expenses:special_fee_detail", args=[application.pk]))
    return render(request, "expenses/special_fee_form.html", {"form": form})


def _application_for(request, pk: int):
    return get_object_or_404(
        special_fee_visible_to(request.user).select_related(
            "rep", "rep__department", "customer", "manager", "director", "finance"
        ),
        pk=pk,
    )


def special_fee_detail(request, pk: int):
    application = _application_for(request, pk)
    user = request.user
    step = next_step(application)
    mine = bool(step and may_take_step(user, application, step))
    same_department = application.rep.department_id == user.department_id
    may_record_contract = (
        application.contract_signed_on is None
        and application.status not in (SpecialFeeStatus.REJECTED, SpecialFeeStatus.INVALID)
        and (
            application.rep_id == user.pk
            or user.has_role(Role.FINANCE)
            or (user.has_role(Role.SALES_MANAGER, Role.SALES_DIRECTOR) and same_department)
        )
    )
    may_pay = user.has_role(Role.FINANCE) and application.status == SpecialFeeStatus.APPROVED
    return render(
        request,
        "expenses/special_fee_detail.html",
        {
            "application": application,
            "step": step,
            "waiting_for": step.label if step else "",
            "may_approve": mine,
            "approve_question": approve_question(application, step) if mine else "",
            "may_record_contract": may_record_contract,
            "may_pay": may_pay,
            "customer_paid": customer_has_paid(application) if may_pay else None,
            "reject_form": NoteForm(),
            "contract_form": ContractDateForm(),
            "signatures": [
                (_("Applicant"), application.rep, None, application.filed_on),
                *[
                    (step_.label, getattr(application, step_.name), getattr(application, f"{step_.name}_at"), None)
                    for step_ in STEPS
                ],
            ],
        },
    )


def approve_question(application, step) -> str:
    """The one confirmation asked before approving (crm.js `data-confirm`): what is approved,
    for whom, how much, and as what (EXP-09)."""
    return _("Approve, as %(step)s, the special fee of ¥%(amount)s for %(customer)s asked by %(rep)s?") % {
        "step": step.label,
        "amount": f"{application.amount:,.2f}",
        "customer": application.customer.name,
        "rep": application.rep.display_name,
    }


def _done(request, application, message: str):
    messages.success(request, message)
    return HttpResponseRedirect(reverse("expenses:special_fee_detail", args=[application.pk]))


@require_POST
def special_fee_step(request, pk: int, action: str):
    application = _application_for(request, pk)
    target = HttpResponseRedirect(reverse("expenses:special_fee_detail", args=[application.pk]))
    try:
        if action == "approve":
            application = special_fee_approve(actor=request.user, application=application)
            message = (
                _("Approved. The application is now fully approved.")
                if application.status == SpecialFeeStatus.APPROVED
                else _("Approved; the next level decides now.")
            )
        elif action == "reject":
            special_fee_reject(actor=request.user, application=application, note=request.POST.get("note", ""))
            message = _("Rejected.")
        elif action == "contract":
            form = ContractDateForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the day the contract was signed."))
                return target
            application = special_fee_record_contract(
                actor=request.user, application=application, signed_on=form.cleaned_data["signed_on"]
            )
            if application.status == SpecialFeeStatus.INVALID:
                messages.error(request, _("Contract date recorded: it is on or before the filing date, so the "
                                          "application is invalid (EXP-09)."))  # fmt: skip
                return target
            message = _("Contract date recorded.")
        elif action == "pay":
            special_fee_pay(actor=request.user, application=application)
            message = _("Paid out and posted to the ledger.")
        else:
            return render(request, "404.html", status=404)
    except DomainError as error:
        messages.error(request, error.message)
        return target
    return _done(request, application, message)


def special_fee_form3(request, pk: int):
    return form3_response(_application_for(request, pk), user=request.user)


urlpatterns = [
    path("special-fees/", SpecialFeeListView.as_view(), name="special_fee_list"),
    path("special-fees/new/", special_fee_apply_view, name="special_fee_apply"),
    path("special-fees/<int:pk>/", special_fee_detail, name="special_fee_detail"),
    path("special-fees/<int:pk>/form3.xlsx", special_fee_form3, name="special_fee_form3"),
    path(
        "special-fees/<int:pk>/<str:action>/",
        special_fee_step,
        name="special_fee_step",
    ),
]
