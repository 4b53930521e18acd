"""Visits (CUS-09): the list of planned and completed visits, planning one from the customer
page, the visit report that completes a visit, and cancelling with a reason."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.core.errors import DomainError
from crm_project.core.listing import FilteredListView

from ..exports.visits import VisitExport
from ..forms_activity import VisitCancelForm, VisitFilter, VisitPlanForm, VisitReportForm
from ..models import VisitStatus
from ..selectors import customer_visible_to, visit_visible_to
from ..services.visits import can_act_on_visit, can_plan_visit, visit_cancel, visit_complete, visit_plan_manual


def _visits_tab(customer_id: int) -> str:
    return reverse("customers:customer_detail", args=[customer_id]) + "#tab-visits"


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


class VisitListView(FilteredListView):
    template_name = "customers/visit_list.html"
    filterset_class = VisitFilter
    export_class = VisitExport
    sort_options = {
        "planned": (gettext_lazy("Planned for"), "planned_date"),
        "completed": (gettext_lazy("Completed at"), "completed_at"),
        "customer": (gettext_lazy("Customer"), "customer__name"),
    }
    default_sort = "planned"

    def base_queryset(self):
        return visit_visible_to(self.request.user).select_related("customer", "owner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context


def visit_plan_view(request, pk: int):
    customer = get_object_or_404(customer_visible_to(request.user).select_related("owner"), pk=pk)
    if not can_plan_visit(request.user, customer):
        return render(request, "403.html", status=403)
    form = VisitPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit = visit_plan_manual(actor=request.user, customer=customer, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Visit planned for %(date)s.") % {"date": visit.planned_date.isoformat()})
            return HttpResponseRedirect(_visits_tab(customer.pk))
    status = 400 if request.method == "POST" else 200
    return render(request, "customers/visit_plan_form.html", {"form": form, "customer": customer}, status=status)


def _visit_for(request, pk: int):
    return get_object_or_404(visit_visible_to(request.user).select_related("customer", "owner"), pk=pk)


def visit_complete_view(request, pk: int):
    """The visit report 拜访报告: a planned visit is completed with it; a completed visit
    shows it."""
    visit = _visit_for(request, pk)
    may_act = visit.status == VisitStatus.PLANNED and can_act_on_visit(request.user, visit)
    if request.method == "POST" and not may_act:
        if visit.status != VisitStatus.PLANNED:
            messages.error(request, _("This visit is no longer planned."))
            return HttpResponseRedirect(reverse("customers:visit_complete", args=[visit.pk]))
        return render(request, "403.html", status=403)
    form = None
    if may_act:
        form = VisitReportForm(request.POST or None, initial={"purpose": visit.purpose})
        if request.method == "POST" and form.is_valid():
            try:
                visit_complete(actor=request.user, visit=visit, **form.cleaned_data)
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Visit completed with its report."))
                return HttpResponseRedirect(_visits_tab(visit.customer_id))
    cancelled = None
    if visit.status == VisitStatus.CANCELLED:
        cancelled = visit.history.select_related("history_user").order_by("-history_id").first()
    context = {
        "visit": visit,
        "cancelled": cancelled,
        "customer": visit.customer,
        "form": form,
        "cancel_form": VisitCancelForm() if may_act else None,
        "overdue": visit.status == VisitStatus.PLANNED and visit.planned_date < timezone.localdate(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "customers/visit_report.html", context, status=status)


@require_POST
def visit_cancel_view(request, pk: int):
    visit = _visit_for(request, pk)
    form = VisitCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the visit is cancelled."))
        return HttpResponseRedirect(reverse("customers:visit_complete", args=[visit.pk]))
    try:
        visit_cancel(actor=request.user, visit=visit, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("customers:visit_complete", args=[visit.pk]))
    messages.success(request, _("Visit cancelled."))
    return HttpResponseRedirect(_visits_tab(visit.customer_id))


urlpatterns = [
    path("visits/", VisitListView.as_view(), name="visit_list"),
    path("visits/<int:pk>/complete/", visit_complete_view, name="visit_complete"),
    path("visits/<int:pk>/cancel/", visit_cancel_view, name="visit_cancel"),
    path("<int:pk>/visits/new/", visit_plan_view, name="visit_plan"),
]
