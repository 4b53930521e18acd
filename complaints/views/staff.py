"""Staff pages: the complaint list, intake, the ticket page with its steps (CMP-01 … CMP-04)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.core.errors import DomainError
from crm_project.core.history import history_entries
from crm_project.core.listing import FilteredListView
from customers.selectors import customer_visible_to

from ..exports import ComplaintExport
from ..filters import ComplaintFilter
from ..forms import ACTION_FORMS, ClassifyForm, ComplaintForm, MatchCustomerForm
from ..permissions import can_assign, can_handle, can_log_any_complaint, can_match_customer, can_view_report
from ..selectors import complaint_visible_to, with_flags
from ..services.flow import ACTION_LABELS, allowed_actions, complaint_act, complaint_classify
from ..services.intake import complaint_log, complaint_match_customer
from ..targets import complaint_targets


class ComplaintListView(FilteredListView):
    template_name = "complaints/complaint_list.html"
    filterset_class = ComplaintFilter
    export_class = ComplaintExport
    sort_options = {
        "received": (gettext_lazy("Received"), "received_at"),
        "reference": (gettext_lazy("Reference"), "reference"),
        "response_due": (gettext_lazy("First response due"), "response_due_at"),
        "solution_due": (gettext_lazy("Solution due"), "solution_due_at"),
        "status": (gettext_lazy("Status"), "status"),
        "severity": (gettext_lazy("Severity"), "-severity"),
    }
    default_sort = "-received"

    def base_queryset(self):
        return with_flags(complaint_visible_to(self.request.user)).select_related("customer", "department")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            can_create=can_log_any_complaint(user),
            can_view_report=can_view_report(user),
            public_url=self.request.build_absolute_uri(reverse("complaints:public_new")),
        )
        return context


def _complaint_for(request, pk: int):
    queryset = with_flags(complaint_visible_to(request.user)).select_related(
        "customer", "customer__owner", "contact", "department", "department__head", "received_by", "tenant"
    )
    return get_object_or_404(queryset, pk=pk)


def _tenant_request(user, complaint):
    """CMP-01: the tenant desk's request that opened this ticket, if the user may see it."""
    if not complaint.tenant_id:
        return None
    from tenants.selectors import request_visible_to

    return request_visible_to(user).filter(complaint=complaint).only("pk", "reference").first()


def _detail_context(request, complaint, *, bound=None, bound_action: str = "") -> dict:
    user = request.user
    handler = can_handle(user, complaint)
    actions = []
    for action in allowed_actions(complaint.status):
        if not (can_assign(user) if action == "assign" else handler):
            continue
        form = bound if action == bound_action and bound is not None else ACTION_FORMS[action](prefix=action)
        if action == "assign" and complaint.department_id and bound_action != "assign":
            form.initial["department"] = complaint.department_id
        label = _("Reassign") if action == "assign" and complaint.status != "received" else ACTION_LABELS[action]
        actions.append({"name": action, "label": label, "form": form, "open": action == bound_action})
    open_complaint = complaint.status != "closed"
    classify_form = None
    if open_complaint and (can_assign(user) or handler):
        classify_form = (
            bound
            if bound_action == "classify"
            else ClassifyForm(
                prefix="classify", initial={"category": complaint.category, "severity": complaint.severity}
            )
        )
    match_form = None
    if can_match_customer(user):
        match_form = bound if bound_action == "match" else MatchCustomerForm(prefix="match", user=user)
    customer_visible = complaint.customer_id and customer_visible_to(user).filter(pk=complaint.customer_id).exists()
    shown = {item["name"] for item in actions if item["open"]}
    if classify_form is not None and bound_action == "classify":
        shown.add("classify")
    if match_form is not None and bound_action == "match":
        shown.add("match")
    # A refused step whose form is not on the page (no longer allowed) still says why.
    action_error = ""
    if bound is not None and bound_action not in shown:
        action_error = " ".join(str(message) for errors in bound.errors.values() for message in errors)
    return {
        "complaint": complaint,
        "customer_visible": customer_visible,
        "tenant_request": _tenant_request(user, complaint),
        "action_error": action_error,
        "targets": complaint_targets(complaint),
        "events": complaint.events.select_related("user").order_by("pk"),
        "escalations": complaint.escalations.select_related("escalated_to").order_by("escalated_at"),
        "actions": actions,
        "classify_form": classify_form,
        "match_form": match_form,
        "bound_action": bound_action,
        "history": history_entries(complaint),
    }


def complaint_detail(request, pk: int):
    complaint = _complaint_for(request, pk)
    return render(request, "complaints/complaint_detail.html", _detail_context(request, complaint))


def _rerender(request, complaint, form, action: str, error: DomainError | None = None):
    if error is not None:
        form.add_error(error.field if error.field in form.fields else None, error.message)
    context = _detail_context(request, complaint, bound=form, bound_action=action)
    return render(request, "complaints/complaint_detail.html", context, status=400)


@require_POST
def complaint_action_view(request, pk: int, action: str):
    complaint = _complaint_for(request, pk)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        return render(request, "404.html", status=404)
    form = form_class(request.POST, prefix=action)
    if not form.is_valid():
        return _rerender(request, complaint, form, action)
    try:
        complaint_act(actor=request.user, complaint=complaint, action=action, **form.cleaned_data)
    except DomainError as error:
        return _rerender(request, complaint, form, action, error)
    messages.success(request, _("Done: %(step)s.") % {"step": ACTION_LABELS[action]})
    return HttpResponseRedirect(reverse("complaints:complaint_detail", args=[complaint.pk]))


@require_POST
def complaint_classify_view(request, pk: int):
    complaint = _complaint_for(request, pk)
    form = ClassifyForm(request.POST, prefix="classify")
    if not form.is_valid():
        return _rerender(request, complaint, form, "classify")
    try:
        complaint_classify(actor=request.user, complaint=complaint, **form.cleaned_data)
    except DomainError as error:
        return _rerender(request, complaint, form, "classify", error)
    messages.success(request, _("Classification saved."))
    return HttpResponseRedirect(reverse("complaints:complaint_detail", args=[complaint.pk]))


@require_POST
def complaint_match_view(request, pk: int):
    complaint = _complaint_for(request, pk)
    form = MatchCustomerForm(request.POST, prefix="match", user=request.user)
    if not form.is_valid():
        return _rerender(request, complaint, form, "match")
    try:
        complaint_match_customer(actor=request.user, complaint=complaint, **form.cleaned_data)
    except DomainError as error:
        return _rerender(request, complaint, form, "match", error)
    messages.success(request, _("Matched to %(customer)s.") % {"customer": form.cleaned_data["customer"].name})
    return HttpResponseRedirect(reverse("complaints:complaint_detail", args=[complaint.pk]))


def complaint_create_view(request):
    if not can_log_any_complaint(request.user):
        return render(request, "403.html", status=403)
    customer_id = request.GET.get("customer")
    customer_id = int(customer_id) if customer_id and customer_id.isdigit() else None
    form = ComplaintForm(request.POST or None, user=request.user, customer_id=customer_id)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_log(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            link = request.build_absolute_uri(reverse("complaints:public_status", args=[complaint.status_token]))
            messages.success(
                request,
                _("Complaint %(reference)s logged. Give the complainant this link to follow it: %(link)s")
                % {"reference": complaint.reference, "link": link},
            )
            return HttpResponseRedirect(reverse("complaints:complaint_detail", args=[complaint.pk]))
    return render(request, "complaints/complaint_form.html", {"form": form})


urlpatterns = [
    path("", ComplaintListView.as_view(), name="complaint_list"),
    path("new/", complaint_create_view, name="complaint_create"),
    path("<int:pk>/", complaint_detail, name="complaint_detail"),
    path("<int:pk>/act/<slug:action>/", complaint_action_view, name="complaint_action"),
    path("<int:pk>/classify/", complaint_classify_view, name="complaint_classify"),
    path("<int:pk>/match/", complaint_match_view, name="complaint_match"),
]
