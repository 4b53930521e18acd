"""The tenant visit plan (TEN-08): the list with the year's visit rate, a visit's report form,
and the "generate this year's plan" button. Operations writes, management reads, anyone else
gets 403 on the list and 404 on a visit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.history import history_entries
from crm_project.core.listing import FilteredListView

from ..exports_visits import TenantVisitExport
from ..filters_visits import TenantVisitFilter
from ..forms_visits import VisitReportForm
from ..permissions_visits import can_plan_visits, can_report_visit, opens_visit_pages
from ..selectors_visits import visit_rate, visit_visible_to
from ..services.visits import tenant_visit_report, visit_plan_generate
from .archive import forbidden


class TenantVisitListView(FilteredListView):
    template_name = "tenants/visit_list.html"
    filterset_class = TenantVisitFilter
    export_class = TenantVisitExport
    sort_options = {
        "planned": (gettext_lazy("Planned on"), "planned_on"),
        "unit": (gettext_lazy("Unit number"), "tenant__unit"),
        "visitor": (gettext_lazy("Visitor"), "visitor__username"),
        "done": (gettext_lazy("Visited at"), "done_at"),
    }
    default_sort = "planned"

    def dispatch(self, request, *args, **kwargs):
        if not opens_visit_pages(request.user):
            return forbidden(request, _("The tenant visit plan is the operations department's."))
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return visit_visible_to(self.request.user).select_related("tenant", "visitor")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.filterset.chosen_year
        context.update(
            year=year,
            rate=visit_rate(year),
            today=timezone.localdate(),
            can_plan=can_plan_visits(self.request.user) and year >= timezone.localdate().year,
        )
        return context


def _visit_page(request, visit, form=None, status=200):
    may_report = can_report_visit(request.user, visit)
    context = {
        "visit": visit,
        "form": form or (VisitReportForm() if may_report else None),
        "may_report": may_report,
        "today": timezone.localdate(),
        "history": history_entries(visit),
    }
    return render(request, "tenants/visit_detail.html", context, status=status)


@login_required
def tenant_visit_detail(request, pk: int):
    visit = get_object_or_404(visit_visible_to(request.user).select_related("tenant", "visitor", "reported_by"), pk=pk)
    if request.method != "POST":
        return _visit_page(request, visit)
    if not can_plan_visits(request.user):  # the desk's staff; a done visit is refused by the service
        return forbidden(request, _("Only operations staff report tenant visits."))
    form = VisitReportForm(request.POST)
    if form.is_valid():
        try:
            tenant_visit_report(actor=request.user, visit=visit, **form.cleaned_data)
        except PermissionDenied as error:
            return forbidden(request, error.message)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Visit to %(shop)s reported.") % {"shop": visit.tenant.shop_name})
            return HttpResponseRedirect(reverse("tenants:tenant_visit_list"))
    return _visit_page(request, visit, form=form, status=400)


@login_required
@require_POST
def tenant_visit_plan_generate(request):
    if not can_plan_visits(request.user):
        return forbidden(request, _("Only operations staff plan tenant visits."))
    try:
        created = visit_plan_generate(actor=request.user)
    except PermissionDenied as error:
        return forbidden(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if created:
            messages.success(request, _("%(count)s visits planned for this year.") % {"count": created})
        else:
            messages.info(request, _("Every current tenant already has a visit this year."))
    return HttpResponseRedirect(reverse("tenants:tenant_visit_list"))


urlpatterns = [
    path("visits/", TenantVisitListView.as_view(), name="tenant_visit_list"),
    path("visits/generate/", tenant_visit_plan_generate, name="tenant_visit_plan_generate"),
    path("visits/<int:pk>/", tenant_visit_detail, name="tenant_visit_detail"),
]
