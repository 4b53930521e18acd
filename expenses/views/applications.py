"""Expense applications before the event (EXP-17, ORG-02): the list, the form, the detail with
approve / reject / record / allow a late claim and the claim form, and the two queues."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.accounts.access import visible_to
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.listing import FilteredListView
from crm_project.core.paging import paged

from ..exports.expenses import ExpenseApplicationExport
from ..forms_expenses import ApplicationFilter, ApplicationForm, ClaimForm, CommentForm, LateClaimForm
from ..models import (
    ApplicationStatus,
    ApprovalRole,
    ClaimStatus,
    ExpenseClaim,
    ExpenseSettings,
)
from ..selectors_expenses import (
    applications_for,
    applications_to_record,
    applications_waiting_for,
    claims_to_accept,
    claims_waiting_for_head,
)
from ..services.applications import (
    application_allow_late_claim,
    application_approve,
    application_file,
    application_record,
    application_reject,
    may_give,
    missing_steps,
)
from ..services.claims import claim_file


def forbidden(request, message: str = ""):
    return render(request, "403.html", {"message": message}, status=403)


def waits_for(user, application) -> bool:
    missing = missing_steps(application)
    return bool(missing) and may_give(user, application, missing[0])


class ExpenseApplicationListView(FilteredListView):
    template_name = "expenses/expenses/application_list.html"
    filterset_class = ApplicationFilter
    export_class = ExpenseApplicationExport
    sort_options = {
        "filed": (gettext_lazy("Filed"), "filed_on"),
        "event": (gettext_lazy("Date of the event"), "event_date"),
        "cost": (gettext_lazy("Estimated cost"), "estimated_cost"),
        "status": (gettext_lazy("Status"), "status"),
    }
    default_sort = "-filed"

    def base_queryset(self):
        return applications_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for application in context["object_list"]:
            application.mine_to_approve = waits_for(self.request.user, application)
        return context


def application_new(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = application_file(actor=request.user, **data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Application filed; your direct superior approves it first."))
            return HttpResponseRedirect(reverse("expenses:expense_application_detail", args=[application.pk]))
    settings = ExpenseSettings.load()
    return render(request, "expenses/expenses/application_form.html", {
        "form": form, "meal_cap": settings.meal_cap_per_person,
        "capped_categories": [c for c in form.fields["category"].queryset if c.meal_cap_applies],
        "superior": request.user.superior,
    })  # fmt: skip


def _application_for(request, pk: int):
    return get_object_or_404(applications_for(request.user).select_related("superior", "department__head"), pk=pk)


def application_detail(request, pk: int):
    application = _application_for(request, pk)
    user = request.user
    missing = missing_steps(application)
    claims = list(
        visible_to(user, ExpenseClaim).filter(application=application).prefetch_related("receipts").order_by("pk")
    )
    open_claim = any(claim.status != ClaimStatus.REJECTED for claim in claims)
    is_finance = user.has_role(Role.FINANCE) and user.pk != application.applicant_id
    claimable = application.status in (ApplicationStatus.APPROVED, ApplicationStatus.RECORDED)
    return render(request, "expenses/expenses/application_detail.html", {
        "application": application,
        "approvals": list(application.approvals.all()),
        "missing": [(step, step_label(step)) for step in missing],
        "may_approve": waits_for(user, application),
        "may_reject": waits_for(user, application) or (is_finance and claimable and not open_claim),
        "may_record": is_finance and application.status == ApplicationStatus.APPROVED,
        "may_allow_late": is_finance and claimable and not open_claim,
        "may_claim": user.pk == application.applicant_id and claimable and not open_claim,
        "claims": claims,
        "claim_form": ClaimForm(),
        "comment_form": CommentForm(),
        "late_form": LateClaimForm(),
    })  # fmt: skip


def step_label(step: str) -> str:
    return ApprovalRole(step).label


@require_POST
def application_action(request, pk: int, action: str):
    application = _application_for(request, pk)
    target = HttpResponseRedirect(reverse("expenses:expense_application_detail", args=[application.pk]))
    try:
        if action == "approve":
            application = application_approve(actor=request.user, application=application)
            message = (_("Approved; the estimate is committed against the budget.")
                       if application.status == ApplicationStatus.APPROVED
                       else _("Approved; the next approver decides now."))  # fmt: skip
        elif action == "reject":
            application_reject(actor=request.user, application=application, comment=request.POST.get("comment", ""))
            message = _("Rejected.")
        elif action == "record":
            application_record(actor=request.user, application=application)
            message = _("Recorded.")
        elif action == "allow-late":
            application_allow_late_claim(actor=request.user, application=application,
                                         reason=request.POST.get("reason", ""))  # fmt: skip
            message = _("A late claim is allowed.")
        elif action == "claim":
            return _claim(request, application)
        else:
            return render(request, "404.html", status=404)
    except PermissionDenied as error:
        return forbidden(request, error.message)
    except DomainError as error:
        return _bad(request, target, error)
    messages.success(request, message)
    return target


def _bad(request, target, error):
    """A refused step: the message on the detail page, answered 400 so a client sees it failed."""
    response = render(request, "expenses/expenses/refused.html", {"message": error.message, "back": target.url},
                      status=400)  # fmt: skip
    return response


def _claim(request, application):
    form = ClaimForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            claim = claim_file(actor=request.user, application=application, amount=form.cleaned_data["amount"],
                               explanation=form.cleaned_data["explanation"],
                               receipts=form.cleaned_data["receipts"])  # fmt: skip
        except PermissionDenied as error:
            return forbidden(request, error.message)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Claim filed."))
            return HttpResponseRedirect(reverse("expenses:expense_claim_detail", args=[claim.pk]))
    return render(request, "expenses/expenses/claim_form.html", {"application": application, "form": form},
                  status=400)  # fmt: skip


def expense_approvals(request):
    """The "waiting for my approval": applications whose next missing step I may give, and claims
    above their estimate waiting for me as the department head (EXP-17), oldest first."""
    user = request.user
    return render(request, "expenses/expenses/approvals.html", {
        "applications": paged(request, applications_waiting_for(user), "applications_page"),
        "claims": paged(request, claims_waiting_for_head(user), "claims_page"),
    })  # fmt: skip


def expense_finance_queue(request):
    """Finance's queue, oldest first: approved applications to record, claims to accept (EXP-17)."""
    user = request.user
    if not (user.is_superuser or user.has_role(Role.FINANCE)):
        return forbidden(request)
    return render(request, "expenses/expenses/finance_queue.html", {
        "applications": paged(request, applications_to_record(user), "applications_page"),
        "claims": paged(request, claims_to_accept(user), "claims_page"),
    })  # fmt: skip


urlpatterns = [
    path("applications/", ExpenseApplicationListView.as_view(), name="expense_application_list"),
    path("applications/new/", application_new, name="expense_application_new"),
    path("applications/<int:pk>/", application_detail, name="expense_application_detail"),
    path("applications/<int:pk>/<str:action>/", application_action, name="expense_application_action"),
    path("expense-approvals/", expense_approvals, name="expense_approvals"),
    path("expense-finance/", expense_finance_queue, name="expense_finance_queue"),
]
