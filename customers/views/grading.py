"""Grades (CUS-03): the set-grade form on the customer page and the managers' bulk re-grade,
where the system's proposals are reviewed before anything changes."""

from datetime import timedelta
from types import SimpleNamespace

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from crm_project.core.errors import DomainError
from crm_project.core.listing import FilteredListView

from ..forms_changes import GradeForm, RegradeFilter
from ..models import Customer, Grade, GradeChange
from ..permissions import can_bulk_regrade
from ..selectors import customer_visible_to
from ..services.grading import customer_set_grade, grade_bulk_apply, grade_proposals, grading_window


@require_POST
def customer_set_grade_view(request, pk: int):
    customer = get_object_or_404(customer_visible_to(request.user).select_related("owner"), pk=pk)
    target = reverse("customers:customer_detail", args=[customer.pk]) + "#tab-grade"
    form = GradeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(target)
    try:
        result = customer_set_grade(
            actor=request.user, customer=customer, grade=form.cleaned_data["grade"], reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if isinstance(result, GradeChange):
            messages.success(request, _("Grade set to %(grade)s.") % {"grade": result.to_grade})
        else:
            messages.info(
                request,
                _("The change to grade %(grade)s waits for the sales manager's confirmation.")
                % {"grade": form.cleaned_data["grade"]},
            )
    return HttpResponseRedirect(target)


class RegradeView(FilteredListView):
    """Visible, non-archived customers whose proposed grade differs from their grade, for a
    manager to review and apply (CUS-03). A fixed number of queries whatever the count."""

    template_name = "customers/regrade_list.html"
    filterset_class = RegradeFilter
    sort_options = {
        "name": (gettext_lazy("Name"), "name"),
        "grade": (gettext_lazy("Grade"), "grade"),
        "owner": (gettext_lazy("Owner"), "owner__username"),
    }
    default_sort = "name"

    def dispatch(self, request, *args, **kwargs):
        if not can_bulk_regrade(request.user):
            return render(request, "403.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return customer_visible_to(self.request.user).filter(archived_at__isnull=True)

    def get_queryset(self):
        # The candidates are all computed (one aggregate); only the page's rows are loaded.
        rows = list(super().get_queryset().values_list("pk", "grade", "first_deal_date"))
        candidates = [SimpleNamespace(pk=pk, first_deal_date=first) for pk, _grade, first in rows]
        self.proposals = grade_proposals(customers=candidates)
        return [pk for pk, grade, _first in rows if self.proposals[pk].grade != grade]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = list(context["object_list"])
        customers = Customer.objects.select_related("owner").in_bulk(ids)
        context["rows"] = [(customers[pk], self.proposals[pk]) for pk in ids if pk in customers]
        start, end = grading_window(timezone.localdate())
        context.update(grade_choices=Grade.values, grade_window=(start, (end - timedelta(days=1)).replace(day=1)))
        return context

    def post(self, request, *args, **kwargs):
        reason = request.POST.get("reason", "")
        decisions = []
        for value in request.POST.getlist("customer"):
            try:
                customer_id = int(value)
            except ValueError:
                continue
            decisions.append((customer_id, request.POST.get(f"grade_{customer_id}", ""), reason))
        target = request.path + (f"?{request.POST['query']}" if request.POST.get("query") else "")
        try:
            changes = grade_bulk_apply(actor=request.user, decisions=decisions)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext("%(count)d customer re-graded.", "%(count)d customers re-graded.", len(changes))
                % {"count": len(changes)},
            )
        return HttpResponseRedirect(target)


urlpatterns = [
    path("<int:pk>/grade/", customer_set_grade_view, name="customer_set_grade"),
    path("regrade/", RegradeView.as_view(), name="regrade"),
]
