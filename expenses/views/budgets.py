"""Budget pages (EXP-16): the lines per year and department with what remains, a line's
page with its adjustments and the entries behind it, and finance's and management's steps."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.accounts.access import may_approve_as_management, visible_to
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.listing import FilteredListView

from ..exports.budgets import BudgetExport
from ..forms_budgets import AdjustmentForm, BudgetAmountForm, BudgetFilter, BudgetForm
from ..models import Budget, BudgetAdjustment, BudgetStatus
from ..selectors_budgets import budgets_for, entries_shown, may_open_budgets, this_year
from ..services.budgets import (
    adjustment_approve,
    adjustment_prepare,
    budget_approve,
    budget_prepare,
    budget_update,
    figures_of,
)


def budget_user_or_404(user) -> None:
    """Budget pages exist for finance, management and those who oversee a department."""
    if not may_open_budgets(user):
        raise Http404


class BudgetListView(FilteredListView):
    template_name = "expenses/budgets/list.html"
    filterset_class = BudgetFilter
    export_class = BudgetExport
    sort_options = {
        "department": (gettext_lazy("Department"), "department__code"),
        "category": (gettext_lazy("Category"), "category__order"),
        "amount": (gettext_lazy("Budget"), "amount"),
        "remaining": (gettext_lazy("Remaining"), "remaining"),
        "year": (gettext_lazy("Year"), "year"),
    }
    default_sort = "department"

    def get(self, request, *args, **kwargs):
        budget_user_or_404(request.user)
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        queryset = budgets_for(self.request.user)
        if not self.request.GET.get("year"):
            queryset = queryset.filter(year=this_year())
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_prepare"] = self.request.user.has_role(Role.FINANCE)
        context["year"] = self.request.GET.get("year") or this_year()
        return context


def budget_new(request):
    budget_user_or_404(request.user)
    if not request.user.has_role(Role.FINANCE):
        return render(request, "403.html", status=403)
    form = BudgetForm(request.POST or None, initial={"year": this_year()})
    if request.method == "POST" and form.is_valid():
        try:
            budget = budget_prepare(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Budget drafted; management approves it."))
            return HttpResponseRedirect(reverse("expenses:budget_detail", args=[budget.pk]))
    return render(request, "expenses/budgets/form.html", {"form": form}, status=400 if form.errors else 200)


def _budget_for(request, pk: int) -> Budget:
    budget_user_or_404(request.user)
    return get_object_or_404(budgets_for(request.user), pk=pk)


def budget_detail(request, pk: int, *, amount_form=None, adjustment_form=None, status=200):
    budget = _budget_for(request, pk)
    user = request.user
    entries, hidden = entries_shown(user, budget)
    is_finance = user.has_role(Role.FINANCE)
    may_approve = may_approve_as_management(user, "budget") and not user.has_role(Role.FINANCE)
    return render(
        request,
        "expenses/budgets/detail.html",
        {
            "budget": budget,
            "adjustments": budget.adjustments.select_related("prepared_by", "approved_by"),
            "entries": entries[:200],
            "entries_more": max(0, entries.count() - 200),
            "hidden_entries": hidden,
            "may_edit": is_finance and budget.status == BudgetStatus.DRAFT,
            "may_adjust": is_finance and budget.status == BudgetStatus.APPROVED,
            "may_approve": may_approve,
            "amount_form": amount_form or BudgetAmountForm(initial={"amount": budget.amount, "note": budget.note}),
            "adjustment_form": adjustment_form or AdjustmentForm(),
        },
        status=status,
    )


def _refused(request, pk: int, error: DomainError, **forms):
    if forms:
        form = next(iter(forms.values()))
        form.add_error(error.field if error.field in form.fields else None, error.message)
    else:
        messages.error(request, error.message)
    return budget_detail(request, pk, status=403 if isinstance(error, PermissionDenied) else 400, **forms)


@require_POST
def budget_edit(request, pk: int):
    budget = _budget_for(request, pk)
    form = BudgetAmountForm(request.POST)
    if not form.is_valid():
        return budget_detail(request, pk, amount_form=form, status=400)
    try:
        budget_update(actor=request.user, budget=budget, **form.cleaned_data)
    except DomainError as error:
        return _refused(request, pk, error, amount_form=form)
    messages.success(request, _("Budget corrected."))
    return HttpResponseRedirect(reverse("expenses:budget_detail", args=[pk]))


@require_POST
def budget_approve_view(request, pk: int):
    budget = _budget_for(request, pk)
    try:
        budget_approve(actor=request.user, budget=budget)
    except DomainError as error:
        return _refused(request, pk, error)
    messages.success(request, _("Budget approved; it is now locked."))
    return HttpResponseRedirect(reverse("expenses:budget_detail", args=[pk]))


@require_POST
def adjustment_new(request, pk: int):
    budget = _budget_for(request, pk)
    form = AdjustmentForm(request.POST)
    if not form.is_valid():
        return budget_detail(request, pk, adjustment_form=form, status=400)
    try:
        adjustment_prepare(actor=request.user, budget=budget, **form.cleaned_data)
    except DomainError as error:
        return _refused(request, pk, error, adjustment_form=form)
    messages.success(request, _("Adjustment proposed; management approves it."))
    return HttpResponseRedirect(reverse("expenses:budget_detail", args=[pk]))


@require_POST
def adjustment_approve_view(request, pk: int, adjustment_pk: int):
    budget = _budget_for(request, pk)
    adjustment = get_object_or_404(visible_to(request.user, BudgetAdjustment), pk=adjustment_pk, budget=budget)
    try:
        adjustment_approve(actor=request.user, adjustment=adjustment)
    except DomainError as error:
        return _refused(request, pk, error)
    figures = figures_of(budget)
    messages.success(
        request, _("Adjustment approved: ¥%(amount)s now in force.") % {"amount": f"{figures.in_force:,.2f}"}
    )
    return HttpResponseRedirect(reverse("expenses:budget_detail", args=[pk]))


urlpatterns = [
    path("budgets/", BudgetListView.as_view(), name="budget_list"),
    path("budgets/new/", budget_new, name="budget_new"),
    path("budgets/<int:pk>/", budget_detail, name="budget_detail"),
    path("budgets/<int:pk>/edit/", budget_edit, name="budget_edit"),
    path("budgets/<int:pk>/approve/", budget_approve_view, name="budget_approve"),
    path("budgets/<int:pk>/adjustments/", adjustment_new, name="budget_adjustment_new"),
    path("budgets/<int:pk>/adjustments/<int:adjustment_pk>/approve/", adjustment_approve_view,
         name="budget_adjustment_approve"),
]  # fmt: skip
