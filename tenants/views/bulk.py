"""Bulk notices to tenants (TEN-08): the list, the new-notice form with a preview of its
audience, and a notice's page with the delivery to each tenant. Operations sends, management
reads, anyone else gets 403 on the list and the form and 404 on a notice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.listing import FilteredListView

from ..exports_visits import BulkNoticeExport
from ..filters_visits import BulkNoticeFilter
from ..forms_visits import BulkNoticeForm
from ..permissions_visits import can_send_bulk_notices, opens_visit_pages
from ..selectors_visits import audience_choices, bulk_notice_visible_to, delivery_visible_to, notice_audience
from ..services.bulk import NO_CONTACT, NO_EMAIL, bulk_notice_send
from .archive import forbidden

PREVIEW_SHOWN = 20
FAILURE_LABELS = {
    NO_CONTACT: gettext_lazy("no contact on file"),
    NO_EMAIL: gettext_lazy("the main contact has no e-mail address"),
}


def with_counts(queryset):
    return queryset.annotate(
        audience_count=Count("deliveries"),
        delivered_count=Count("deliveries", filter=Q(deliveries__delivered_at__isnull=False)),
        failed_count=Count("deliveries", filter=~Q(deliveries__failed_reason="")),
    )


class BulkNoticeListView(FilteredListView):
    template_name = "tenants/bulk_notice_list.html"
    filterset_class = BulkNoticeFilter
    export_class = BulkNoticeExport
    sort_options = {
        "sent": (gettext_lazy("Sent at"), "sent_at"),
        "kind": (gettext_lazy("Kind"), "kind"),
        "title": (gettext_lazy("Title"), "title"),
    }
    default_sort = "-sent"

    def dispatch(self, request, *args, **kwargs):
        if not opens_visit_pages(request.user):
            return forbidden(request, _("Bulk notices are the operations department's."))
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return with_counts(bulk_notice_visible_to(self.request.user).select_related("sent_by"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_send"] = can_send_bulk_notices(self.request.user)
        return context


def _form(data=None, initial=None):
    floors, business_types = audience_choices()
    return BulkNoticeForm(data, initial=initial, floors=floors, business_types=business_types)


def _preview(form, values) -> dict:
    """How many tenants the audience chosen so far reaches, and the first of them."""
    floors = {value for value, _label in form.fields["floor"].choices}
    types = {value for value, _label in form.fields["business_type"].choices}
    floor = values.get("floor", "") if values.get("floor", "") in floors else ""
    business_type = values.get("business_type", "") if values.get("business_type", "") in types else ""
    audience = notice_audience(floor=floor, business_type=business_type)
    return {"count": audience.count(), "tenants": list(audience[:PREVIEW_SHOWN])}


def _page(request, form, values, status=200):
    context = {"form": form, "preview": _preview(form, values)}
    return render(request, "tenants/bulk_notice_form.html", context, status=status)


@login_required
def bulk_notice_new(request):
    if not can_send_bulk_notices(request.user):
        return forbidden(request, _("Only operations staff send notices to tenants."))
    if request.method != "POST" or "preview" in request.POST:
        # The audience's preview writes nothing and asks for no message yet.
        values = (request.POST if request.method == "POST" else request.GET).dict()
        values.pop("csrfmiddlewaretoken", None)
        return _page(request, _form(initial=values), values)
    form = _form(request.POST)
    if form.is_valid():
        try:
            notice = bulk_notice_send(actor=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            return forbidden(request, error.message)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            count = notice.deliveries.count()
            messages.success(request, _("The notice is being sent to %(count)s tenants.") % {"count": count})
            return HttpResponseRedirect(reverse("tenants:bulk_notice_detail", args=[notice.pk]))
    return _page(request, form, request.POST.dict(), status=400)


@login_required
def bulk_notice_detail(request, pk: int):
    notice = get_object_or_404(with_counts(bulk_notice_visible_to(request.user)).select_related("sent_by"), pk=pk)
    deliveries = list(
        delivery_visible_to(request.user)
        .filter(notice=notice)
        .select_related("tenant")
        .order_by("tenant__floor", "tenant__unit", "pk")
    )
    for delivery in deliveries:
        delivery.failure = FAILURE_LABELS.get(delivery.failed_reason, delivery.failed_reason)
    return render(request, "tenants/bulk_notice_detail.html", {"notice": notice, "deliveries": deliveries})


urlpatterns = [
    path("bulk-notices/", BulkNoticeListView.as_view(), name="bulk_notice_list"),
    path("bulk-notices/new/", bulk_notice_new, name="bulk_notice_new"),
    path("bulk-notices/<int:pk>/", bulk_notice_detail, name="bulk_notice_detail"),
]
