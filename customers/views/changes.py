"""Contact persons and the changes that need someone's approval: non-fee contacts (CUS-04),
附表5 contact change requests (CUS-05), and core-data changes waiting for the manager (CUS-06)."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.accounts.access import visible_to
from crm_project.core.errors import DomainError
from crm_project.core.listing import FilteredListView

from ..exports.form5 import form5_response
from ..forms_changes import ChangeRequestFilter, ContactChangeForm, ContactForm, DecisionForm, acts_on_change_requests
from ..models import Contact, ContactChangeRequest, CoreDataChange
from ..page_sections.pending import WAITING_FOR
from ..permissions import can_edit_customer
from ..selectors import contact_visible_to, customer_visible_to
from ..services.contact_changes import (
    OPEN_STATUSES,
    can_reject,
    contact_change_approve_director,
    contact_change_approve_manager,
    contact_change_file,
    contact_change_record,
    contact_change_reject,
    next_step,
)
from ..services.contacts import CONTACT_FIELDS, contact_create, contact_deactivate, contact_update
from ..services.core_changes import core_change_confirm, core_change_reject


def _customer_page(customer_id: int, tab: str = "") -> str:
    return reverse("customers:customer_detail", args=[customer_id]) + (f"#tab-{tab}" if tab else "")


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- contacts that receive no fee (CUS-04) ------------------------------------------------


def contact_create_view(request, pk: int):
    customer = get_object_or_404(customer_visible_to(request.user), pk=pk)
    if not can_edit_customer(request.user, customer):
        return render(request, "403.html", status=403)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = contact_create(actor=request.user, customer=customer, data=form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Contact %(name)s added.") % {"name": contact.name})
            return HttpResponseRedirect(_customer_page(customer.pk, "contacts"))
    return render(request, "customers/contact_form.html", {"form": form, "customer": customer, "contact": None})


def _contact_for(request, pk: int, contact_pk: int) -> Contact:
    return get_object_or_404(
        contact_visible_to(request.user).select_related("customer"), pk=contact_pk, customer_id=pk, active=True
    )


def contact_edit_view(request, pk: int, contact_pk: int):
    contact = _contact_for(request, pk, contact_pk)
    customer = contact.customer
    if not can_edit_customer(request.user, customer):
        return render(request, "403.html", status=403)
    form = ContactForm(request.POST or None, initial={name: getattr(contact, name) for name in CONTACT_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            contact_update(actor=request.user, contact=contact, data=form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Contact %(name)s saved.") % {"name": contact.name})
            return HttpResponseRedirect(_customer_page(customer.pk, "contacts"))
    return render(request, "customers/contact_form.html", {"form": form, "customer": customer, "contact": contact})


@require_POST
def contact_deactivate_view(request, pk: int, contact_pk: int):
    contact = _contact_for(request, pk, contact_pk)
    try:
        contact_deactivate(actor=request.user, contact=contact)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Contact %(name)s removed.") % {"name": contact.name})
    return HttpResponseRedirect(_customer_page(contact.customer_id, "contacts"))


# --- 附表5 contact change requests (CUS-05) ----------------------------------------------


def _change_requests(user):
    return visible_to(user, ContactChangeRequest.objects.all())


def change_request_create(request, pk: int):
    customer = get_object_or_404(customer_visible_to(request.user).select_related("owner"), pk=pk)
    if not can_edit_customer(request.user, customer):
        return render(request, "403.html", status=403)
    receiving = list(Contact.objects.filter(customer=customer, active=True, receives_fee=True))
    form = ContactChangeForm(request.POST or None, receiving=receiving)
    if request.method == "POST" and form.is_valid():
        try:
            change = contact_change_file(
                actor=request.user, customer=customer, reason=form.cleaned_data["reason"], items=form.items()
            )
        except DomainError as error:
            form.add_error("reason" if error.field == "reason" else None, error.message)
        else:
            messages.success(request, _("Change request filed. It takes effect once the sales director approves it."))
            return HttpResponseRedirect(reverse("customers:change_request_detail", args=[change.pk]))
    total = sum((contact.fee_share for contact in receiving), start=0)
    under_way = ContactChangeRequest.objects.filter(customer=customer, status__in=OPEN_STATUSES).first()
    return render(
        request,
        "customers/change_request_form.html",
        {"form": form, "customer": customer, "receiving": receiving, "current_total": total, "under_way": under_way},
    )


class ChangeRequestListView(FilteredListView):
    """附表5 requests: "waiting for me" for managers, directors and clerks; the rep's own."""

    template_name = "customers/change_request_list.html"
    filterset_class = ChangeRequestFilter
    sort_options = {
        "filed": (gettext_lazy("Filed"), "filed_at"),
        "customer": (gettext_lazy("Customer"), "customer__name"),
        "status": (gettext_lazy("Status"), "status"),
    }
    default_sort = "-filed"

    def base_queryset(self):
        return (
            _change_requests(self.request.user)
            .select_related("customer", "filed_by")
            .annotate(line_count=Count("items"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for change in context["object_list"]:
            step = next_step(change)
            change.waiting_for = WAITING_FOR.get(step.name, "") if step else ""
        context["acts_on_requests"] = acts_on_change_requests(self.request.user)
        return context


def _change_request_for(request, pk: int) -> ContactChangeRequest:
    return get_object_or_404(
        _change_requests(request.user).select_related(
            "customer", "customer__owner", "filed_by", "manager", "director", "clerk", "rejected_by"
        ),
        pk=pk,
    )


def change_request_detail(request, pk: int):
    change = _change_request_for(request, pk)
    user = request.user
    step = next_step(change)
    may_take_step = bool(step and step.allowed(user) and change.filed_by_id != user.pk)
    return render(
        request,
        "customers/change_request_detail.html",
        {
            "change": change,
            "items": list(change.items.select_related("contact")),
            "step": step,
            "waiting_for": WAITING_FOR.get(step.name, "") if step else "",
            "may_take_step": may_take_step,
            "may_reject": can_reject(user, change),
            "reject_form": DecisionForm(),
            "signatures": [
                (_("Sales representative"), change.filed_by, change.filed_at),
                (_("Sales manager"), change.manager, change.manager_at),
                (_("Sales director"), change.director, change.director_at),
                (_("Sales clerk"), change.clerk, change.clerk_at),
            ],
        },
    )


STEP_ACTIONS = {
    "manager": (contact_change_approve_manager, gettext_lazy("Approved. The sales director approves next.")),
    "director": (
        contact_change_approve_director,
        gettext_lazy("Approved. The new fee shares apply from now on; the sales clerk records the request."),
    ),
    "clerk": (contact_change_record, gettext_lazy("Recorded.")),
}


@require_POST
def change_request_step(request, pk: int, step: str):
    if step not in STEP_ACTIONS and step != "reject":
        raise Http404
    change = _change_request_for(request, pk)
    target = reverse("customers:change_request_detail", args=[change.pk])
    try:
        if step == "reject":
            form = DecisionForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            contact_change_reject(actor=request.user, request=change, reason=reason)
            messages.success(request, _("Rejected. The contacts stay as they were."))
        else:
            service, done = STEP_ACTIONS[step]
            service(actor=request.user, request=change)
            messages.success(request, str(done))
    except DomainError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(target)


def change_request_form5(request, pk: int):
    change = get_object_or_404(
        _change_requests(request.user)
        .select_related("customer", "filed_by", "manager", "director", "clerk", "rejected_by")
        .prefetch_related("items"),
        pk=pk,
    )
    return form5_response(change, user=request.user)


# --- core-data changes waiting for the manager (CUS-06) -----------------------------------


def _core_change_for(request, pk: int) -> CoreDataChange:
    return get_object_or_404(visible_to(request.user, CoreDataChange.objects.select_related("customer")), pk=pk)


@require_POST
def core_change_decide(request, pk: int, decision: str):
    if decision not in ("confirm", "reject"):
        raise Http404
    change = _core_change_for(request, pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if decision == "confirm":
            core_change_confirm(actor=request.user, change=change, note=note)
            messages.success(request, _("Change confirmed; it applies now."))
        else:
            core_change_reject(actor=request.user, change=change, note=note)
            messages.success(request, _("Change rejected; the customer stays as it was."))
    except DomainError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(_customer_page(change.customer_id))


urlpatterns = [
    path("<int:pk>/contacts/new/", contact_create_view, name="contact_create"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", contact_edit_view, name="contact_edit"),
    path("<int:pk>/contacts/<int:contact_pk>/deactivate/", contact_deactivate_view, name="contact_deactivate"),
    path("<int:pk>/change-requests/new/", change_request_create, name="change_request_create"),
    path("change-requests/", ChangeRequestListView.as_view(), name="change_request_list"),
    path("change-requests/<int:pk>/", change_request_detail, name="change_request_detail"),
    path("change-requests/<int:pk>/form5.xlsx", change_request_form5, name="change_request_form5"),
    path("change-requests/<int:pk>/<slug:step>/", change_request_step, name="change_request_step"),
    path("core-changes/<int:pk>/<slug:decision>/", core_change_decide, name="core_change_decide"),
]
