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

from ..exports.customers import CustomerExport
from ..filters import CustomerFilter
from ..forms import CustomerForm
from ..page_sections import page_context
from ..permissions import can_archive_customer, can_bulk_regrade, can_create_customer, can_edit_customer
from ..selectors import customer_visible_to, is_new_customer, mark_overdue_visits
from ..services.customers import customer_archive, customer_create, customer_restore, customer_update


class CustomerListView(FilteredListView):
    template_name = "customers/customer_list.html"
    filterset_class = CustomerFilter
    export_class = CustomerExport
    sort_options = {
        "name": (gettext_lazy("Name"), "name"),
        "code": (gettext_lazy("Code"), "code"),
        "grade": (gettext_lazy("Grade"), "grade"),
        "created": (gettext_lazy("Created"), "created_at"),
    }
    default_sort = "name"

    def base_queryset(self):
        return customer_visible_to(self.request.user).select_related("owner", "industry")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = mark_overdue_visits(list(context["object_list"]))
        context["can_create"] = can_create_customer(self.request.user)
        context["can_bulk_regrade"] = can_bulk_regrade(self.request.user)
        return context


def _customer_for(request, pk: int):
    return get_object_or_404(customer_visible_to(request.user).select_related("owner", "industry"), pk=pk)


def customer_detail(request, pk: int):
    customer = _customer_for(request, pk)
    return render(
        request,
        "customers/customer_detail.html",
        {
            "customer": customer,
            "is_new": is_new_customer(customer),
            "can_edit": can_edit_customer(request.user, customer),
            "can_archive": can_archive_customer(request.user, customer),
            "history": history_entries(customer),
            **page_context(customer, request.user),
        },
    )


def customer_create_view(request):
    if not can_create_customer(request.user):
        return render(request, "403.html", status=403)
    form = CustomerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = data.pop("owner", None)
        try:
            customer = customer_create(actor=request.user, data=data, owner=owner)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Customer %(name)s created.") % {"name": customer.name})
            return HttpResponseRedirect(reverse("customers:customer_detail", args=[customer.pk]))
    return render(request, "customers/customer_form.html", {"form": form, "customer": None})


def customer_edit_view(request, pk: int):
    customer = _customer_for(request, pk)
    if not can_edit_customer(request.user, customer):
        return render(request, "403.html", status=403)
    form = CustomerForm(
        request.POST or None, instance=customer.__class__.objects.get(pk=customer.pk), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "code"}
        if data.get("owner") is None:
            data.pop("owner", None)
        try:
            pending = customer_update(actor=request.user, customer=customer, data=data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if pending:
                messages.info(request, _("Saved. The change to %(fields)s waits for the sales manager's confirmation.")
                              % {"fields": ", ".join(str(customer._meta.get_field(f).verbose_name)
                                                     for f in pending.new_values)})  # fmt: skip
            else:
                messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("customers:customer_detail", args=[customer.pk]))
    return render(request, "customers/customer_form.html", {"form": form, "customer": customer})


@require_POST
def customer_archive_view(request, pk: int):
    customer = _customer_for(request, pk)
    try:
        if request.POST.get("restore"):
            customer_restore(actor=request.user, customer=customer)
            messages.success(request, _("Customer restored."))
        else:
            customer_archive(actor=request.user, customer=customer)
            messages.success(request, _("Customer archived. It stays searchable with “Include archived”."))
    except DomainError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("customers:customer_detail", args=[customer.pk]))


urlpatterns = [
    path("", CustomerListView.as_view(), name="customer_list"),
    path("new/", customer_create_view, name="customer_create"),
    path("<int:pk>/", customer_detail, name="customer_detail"),
    path("<int:pk>/edit/", customer_edit_view, name="customer_edit"),
    path("<int:pk>/archive/", customer_archive_view, name="customer_archive"),
]
