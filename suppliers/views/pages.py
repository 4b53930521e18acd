"""The supplier pages (SUP-02 … SUP-07, ORG-02): the list, registering a candidate, its details,
the supplier's page, and finance's payment terms. Whoever may not see supplier files gets 404."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.core.errors import DomainError
from crm_project.core.listing import FilteredListView

from ..access_rules import sees_supplier_files
from ..exports import PaymentTermsExport, SupplierExport
from ..filters import PaymentTermsFilter, SupplierFilter
from ..forms import SupplierForm
from ..models import Stage
from ..permissions import can_register, can_run_file
from ..selectors import payment_terms_visible_to, supplier_visible_to
from ..services.register import DuplicateSupplier, supplier_register, supplier_update
from . import actions
from .file_page import detail_context, supplier_for


def _require_files(user) -> None:
    """Supplier files do not exist for someone who may not see them (ORG-02)."""
    if not sees_supplier_files(user):
        raise Http404


class SupplierListView(FilteredListView):
    template_name = "suppliers/supplier_list.html"
    filterset_class = SupplierFilter
    export_class = SupplierExport
    sort_options = {
        "registered": (gettext_lazy("Registered"), "registered_at"),
        "name": (gettext_lazy("Company name"), "name"),
        "stage": (gettext_lazy("Stage"), "stage"),
        "code": (gettext_lazy("Supplier code"), "code"),
    }
    default_sort = "-registered"

    def dispatch(self, request, *args, **kwargs):
        _require_files(request.user)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return supplier_visible_to(self.request.user).select_related("registered_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_register"] = can_register(self.request.user)
        return context


class PaymentTermsListView(FilteredListView):
    """Finance's page (ORG-02): active suppliers' code, name and payment terms, nothing else."""

    template_name = "suppliers/payment_terms_list.html"
    filterset_class = PaymentTermsFilter
    export_class = PaymentTermsExport
    sort_options = {
        "code": (gettext_lazy("Supplier code"), "code"),
        "name": (gettext_lazy("Company name"), "name"),
    }
    default_sort = "code"

    def base_queryset(self):
        queryset = payment_terms_visible_to(self.request.user)
        if queryset.query.is_empty():  # the access registry gives this user nothing of it
            raise Http404
        return queryset.only("pk", "code", "name", "payment_terms", "suspended_at", "stage")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sees_files"] = sees_supplier_files(self.request.user)
        return context


def _duplicate_message(error: DuplicateSupplier):
    existing = error.existing
    return format_html(
        '{} <a href="{}" class="alert-link" id="duplicate-link">{}</a>',
        error.message,
        reverse("suppliers:supplier_detail", args=[existing.pk]),
        _("Open the file of %(name)s") % {"name": existing.name},
    )


def _save_details(request, form, *, supplier=None):
    """Register or update; a refusal is put on the form (the duplicate with its link)."""
    try:
        if supplier is None:
            return supplier_register(actor=request.user, **form.cleaned_data)
        return supplier_update(actor=request.user, supplier=supplier, **form.cleaned_data)
    except DuplicateSupplier as error:
        form.add_error(None, _duplicate_message(error))
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
    return None


def _again_initial(request) -> dict:
    """`?again=<pk>`: a rejected file's details, to register the company again (SUP-02)."""
    pk = request.GET.get("again", "")
    if not pk.isdigit():
        return {}
    earlier = supplier_visible_to(request.user).filter(pk=int(pk), stage=Stage.REJECTED).first()
    return SupplierForm.initial_of(earlier) if earlier else {}


def supplier_create(request):
    """SUP-02: procurement registers a candidate."""
    _require_files(request.user)
    if not can_register(request.user):
        return render(request, "403.html", {"detail": _("Only procurement registers supplier candidates.")}, status=403)
    form = SupplierForm(request.POST or None, initial=_again_initial(request))
    status = 200
    if request.method == "POST":
        if form.is_valid() and (supplier := _save_details(request, form)) is not None:
            messages.success(request, _("Candidate %(name)s registered.") % {"name": supplier.name})
            return HttpResponseRedirect(reverse("suppliers:supplier_detail", args=[supplier.pk]))
        status = 400
    return render(request, "suppliers/supplier_form.html", {"form": form, "supplier": None}, status=status)


def supplier_edit(request, pk: int):
    """SUP-02: the candidate's details, while the file is open."""
    supplier = supplier_for(request, pk, full=False)
    if not can_run_file(request.user):
        return render(request, "403.html", {"detail": _("Only procurement keeps a supplier's file.")}, status=403)
    if supplier.is_archived:
        messages.error(request, _("The file is closed: its details can no longer be changed."))
        return HttpResponseRedirect(reverse("suppliers:supplier_detail", args=[supplier.pk]))
    form = SupplierForm(request.POST or None, initial=SupplierForm.initial_of(supplier))
    status = 200
    if request.method == "POST":
        if form.is_valid() and _save_details(request, form, supplier=supplier) is not None:
            messages.success(request, _("Details saved."))
            return HttpResponseRedirect(reverse("suppliers:supplier_detail", args=[supplier.pk]))
        status = 400
    return render(request, "suppliers/supplier_form.html", {"form": form, "supplier": supplier}, status=status)


def supplier_detail(request, pk: int):
    supplier = supplier_for(request, pk)
    return render(request, "suppliers/supplier_detail.html", detail_context(request, supplier))


urlpatterns = [
    path("", SupplierListView.as_view(), name="supplier_list"),
    path("new/", supplier_create, name="supplier_create"),
    path("payment-terms/", PaymentTermsListView.as_view(), name="payment_terms"),
    path("<int:pk>/", supplier_detail, name="supplier_detail"),
    path("<int:pk>/edit/", supplier_edit, name="supplier_edit"),
    *actions.urlpatterns,
]
