"""Interactions 沟通记录 (CUS-08): logging one from the customer page, and the list of all the
interactions the user may see, with filters and an Excel export."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.access import visible_to
from crm_project.core.errors import DomainError
from crm_project.core.listing import FilteredListView

from ..exports.interactions import InteractionExport
from ..forms_activity import InteractionFilter, InteractionForm
from ..models import Interaction
from ..selectors import customer_visible_to
from ..services.interactions import can_log_interaction, interaction_log


class InteractionListView(FilteredListView):
    template_name = "customers/interaction_list.html"
    filterset_class = InteractionFilter
    export_class = InteractionExport
    sort_options = {
        "occurred": (gettext_lazy("When"), "occurred_at"),
        "follow_up": (gettext_lazy("Follow up on"), "follow_up_date"),
        "customer": (gettext_lazy("Customer"), "customer__name"),
    }
    default_sort = "-occurred"

    def base_queryset(self):
        return visible_to(self.request.user, Interaction).select_related(
            "customer", "customer__owner", "contact", "created_by"
        )


def interaction_create_view(request, pk: int):
    customer = get_object_or_404(customer_visible_to(request.user).select_related("owner"), pk=pk)
    if not can_log_interaction(request.user, customer):
        return render(request, "403.html", status=403)
    form = InteractionForm(request.POST or None, customer=customer, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            interaction_log(actor=request.user, customer=customer, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Interaction logged."))
            return HttpResponseRedirect(reverse("customers:customer_detail", args=[customer.pk]) + "#tab-timeline")
    status = 400 if request.method == "POST" else 200
    return render(request, "customers/interaction_form.html", {"form": form, "customer": customer}, status=status)


urlpatterns = [
    path("interactions/", InteractionListView.as_view(), name="interaction_list"),
    path("<int:pk>/interactions/new/", interaction_create_view, name="interaction_create"),
]
