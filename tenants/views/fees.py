"""The fee schedule (TEN-10): operations keeps the items (list, form); management reads; the
public page shows tenants the items valid today, in Chinese, printable, with no login."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.history import history_entries
from crm_project.core.listing import FilteredListView

from ..exports_meetings import FeeExport
from ..filters_meetings import FeeFilter
from ..forms_meetings import FeeItemForm
from ..models import FeeScheduleItem
from ..permissions_meetings import can_edit_fees, opens_meeting_pages
from ..selectors_meetings import fee_items_valid_on, fee_items_visible_to
from ..services.fees import fee_item_create, fee_item_update
from .archive import forbidden


class FeeListView(FilteredListView):
    template_name = "tenants/fee_list.html"
    filterset_class = FeeFilter
    export_class = FeeExport
    sort_options = {
        "kind": (gettext_lazy("Kind"), "kind"),
        "name": (gettext_lazy("Name in Chinese"), "name_zh"),
        "amount": (gettext_lazy("Amount (CNY)"), "amount"),
        "valid_from": (gettext_lazy("Valid from"), "valid_from"),
    }
    default_sort = "kind"

    def dispatch(self, request, *args, **kwargs):
        if not opens_meeting_pages(request.user):
            return forbidden(request, _("The fee schedule is kept by the operations desk."))
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return fee_items_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can_edit_fees(self.request.user)
        context["today"] = timezone.localdate()
        return context


def _fee_form(request, item=None):
    user = request.user
    if not can_edit_fees(user):
        return forbidden(request, _("Only operations keeps the fee schedule."))
    status = 200
    if request.method == "POST":
        form = FeeItemForm(request.POST)
        if form.is_valid():
            try:
                if item is None:
                    fee_item_create(actor=user, **form.cleaned_data)
                else:
                    fee_item_update(actor=user, item=item, **form.cleaned_data)
            except PermissionDenied as error:
                return forbidden(request, error.message)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("The fee schedule is saved."))
                return HttpResponseRedirect(reverse("tenants:fee_list"))
        status = 400
    else:
        form = FeeItemForm(initial=FeeItemForm.initial_of(item) if item else {"valid_from": timezone.localdate()})
    context = {"form": form, "item": item, "history": history_entries(item) if item else []}
    return render(request, "tenants/fee_form.html", context, status=status)


@login_required
def fee_new(request):
    return _fee_form(request)


@login_required
def fee_edit(request, pk: int):
    item = get_object_or_404(fee_items_visible_to(request.user), pk=pk)
    return _fee_form(request, item)


@login_not_required
def fee_public(request):
    """TEN-10: what tenants are shown — the items valid today grouped by kind, in Chinese
    whatever the visitor's language, read-only and printable."""
    today = timezone.localdate()
    with translation.override("zh-hans"):
        items = list(fee_items_valid_on(today))
        order = list(FeeScheduleItem.Kind.values)
        items.sort(key=lambda i: (order.index(i.kind), i.name_zh, i.pk))
        groups = [(FeeScheduleItem.Kind(kind).label, list(rows)) for kind, rows in groupby(items, key=lambda i: i.kind)]
        response = render(request, "tenants/fee_public.html", {"groups": groups, "today": today})
    response["Content-Language"] = "zh-hans"
    return response


urlpatterns = [
    path("fees/", login_required(FeeListView.as_view()), name="fee_list"),
    path("fees/new/", fee_new, name="fee_new"),
    path("fees/public/", fee_public, name="fee_public"),
    path("fees/<int:pk>/edit/", fee_edit, name="fee_edit"),
]
