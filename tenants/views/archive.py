"""The tenant archive pages (TEN-01, ORG-02): the list, a tenant's page, the form, move-out.
Outsiders get 403 on the list and 404 on a tenant; management reads and never acts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from complaints.selectors import complaint_visible_to
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.history import history_entries
from crm_project.core.listing import FilteredListView

from ..exports_archive import TenantExport, main_contact
from ..filters_archive import TenantFilter
from ..forms_archive import ContactFormSet, TenantForm, contacts_of
from ..permissions import can_keep_archive, opens_desk_pages
from ..selectors import request_visible_to, storage_visible_to, tenant_visible_to, with_lease_flag
from ..services.tenants import tenant_create, tenant_move_out, tenant_update

opens_tenant_pages = opens_desk_pages


def forbidden(request, detail=""):
    return render(request, "403.html", {"detail": detail}, status=403)


class TenantListView(FilteredListView):
    template_name = "tenants/tenant_list.html"
    filterset_class = TenantFilter
    export_class = TenantExport
    sort_options = {
        "unit": (gettext_lazy("Unit number"), "unit"),
        "shop": (gettext_lazy("Shop name"), "shop_name"),
        "lease_end": (gettext_lazy("Lease end"), "lease_end"),
    }
    default_sort = "unit"

    def dispatch(self, request, *args, **kwargs):
        if not opens_tenant_pages(request.user):
            return forbidden(request, _("The tenant archive is confidential."))
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return with_lease_flag(tenant_visible_to(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        prefetch_related_objects(rows, "contacts")  # one query, whatever the page
        context["rows"] = [(tenant, main_contact(tenant)) for tenant in rows]
        context["can_edit"] = can_keep_archive(self.request.user)
        return context


def _tenant_for(request, pk):
    return get_object_or_404(with_lease_flag(tenant_visible_to(request.user)), pk=pk)


def tenant_detail(request, pk: int):
    tenant = _tenant_for(request, pk)
    user = request.user
    requests = request_visible_to(user).filter(tenant=tenant).select_related("department").order_by("-logged_at")
    complaints = complaint_visible_to(user).filter(tenant=tenant).order_by("-received_at")[:20]
    stored = storage_visible_to(user).filter(tenant=tenant).order_by("-picked_up_at", "received_at")
    context = {
        "tenant": tenant,
        "contacts": tenant.contacts.order_by("-is_primary", "pk"),
        "requests": requests[:20],
        "request_count": requests.count(),
        "complaints": complaints,
        "stored": sorted(stored, key=lambda s: (s.picked_up_at is not None, s.received_at)),
        "history": history_entries(tenant),
        "can_edit": can_keep_archive(user) and not tenant.moved_out_at,
        "request_log_url": _request_log_url(tenant),
    }
    return render(request, "tenants/tenant_detail.html", context)


def _request_log_url(tenant) -> str:
    try:  # the request log's page is built beside this one
        return f"{reverse('tenants:request_list')}?tenant={tenant.pk}"
    except NoReverseMatch:
        return ""


def _save(request, form, formset, tenant=None):
    try:
        with transaction.atomic():
            values = {**form.cleaned_data, "contacts": contacts_of(formset)}
            if tenant is None:
                return tenant_create(actor=request.user, **values)
            return tenant_update(actor=request.user, tenant=tenant, **values)
    except PermissionDenied:
        raise
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
    return None


def _form_page(request, tenant=None):
    if not can_keep_archive(request.user):
        return forbidden(request, _("Only operations keeps the tenant archive."))
    if request.method == "POST":
        form = TenantForm(request.POST)
        formset = ContactFormSet(request.POST, prefix="contacts")
        if form.is_valid() and formset.is_valid():
            try:
                saved = _save(request, form, formset, tenant)
            except PermissionDenied as error:
                return forbidden(request, error.message)
            if saved is not None:
                messages.success(request, _("Tenant %(shop)s saved.") % {"shop": saved.shop_name})
                return HttpResponseRedirect(reverse("tenants:tenant_detail", args=[saved.pk]))
        status = 400
    else:
        form = TenantForm(initial=TenantForm.initial_of(tenant) if tenant else None)
        initial = list(tenant.contacts.order_by("-is_primary", "pk").values()) if tenant else []
        formset = ContactFormSet(prefix="contacts", initial=initial)
        status = 200
    return render(
        request, "tenants/tenant_form.html", {"form": form, "formset": formset, "tenant": tenant}, status=status
    )


def tenant_new(request):
    if not opens_tenant_pages(request.user):
        return forbidden(request)
    return _form_page(request)


def tenant_edit(request, pk: int):
    tenant = _tenant_for(request, pk)
    return _form_page(request, tenant)


@require_POST
def tenant_move_out_view(request, pk: int):
    tenant = _tenant_for(request, pk)
    try:
        tenant_move_out(actor=request.user, tenant=tenant)
    except PermissionDenied as error:
        return forbidden(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The move-out is recorded; the unit can be let again."))
    return HttpResponseRedirect(reverse("tenants:tenant_detail", args=[tenant.pk]))


urlpatterns = [
    path("archive/", login_required(TenantListView.as_view()), name="tenant_list"),
    path("archive/new/", login_required(tenant_new), name="tenant_new"),
    path("archive/<int:pk>/", login_required(tenant_detail), name="tenant_detail"),
    path("archive/<int:pk>/edit/", login_required(tenant_edit), name="tenant_edit"),
    path("archive/<int:pk>/move-out/", login_required(tenant_move_out_view), name="tenant_move_out"),
]
