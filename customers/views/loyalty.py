"""Loyalty points (CUS-13): redeeming points from the customer page, and the whole ledger."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm_project.core.errors import DomainError

from ..forms_purchases import RedeemForm
from ..models import LoyaltyEntry
from ..selectors import customer_visible_to
from ..services.loyalty import loyalty_redeem


@require_POST
def loyalty_redeem_view(request, pk: int):
    customer = get_object_or_404(customer_visible_to(request.user), pk=pk)
    form = RedeemForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            entry = loyalty_redeem(
                actor=request.user,
                customer=customer,
                points=form.cleaned_data["points"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(points)s points redeemed.") % {"points": -entry.points})
    return HttpResponseRedirect(reverse("customers:customer_detail", args=[customer.pk]) + "#tab-loyalty")


def loyalty_ledger(request, pk: int):
    customer = get_object_or_404(customer_visible_to(request.user), pk=pk)
    entries = LoyaltyEntry.objects.filter(customer=customer)
    page = Paginator(
        entries.select_related("purchase", "purchase__product", "created_by").order_by("-created_at", "-pk"), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "customers/loyalty_ledger.html",
        {
            "customer": customer,
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "balance": entries.aggregate(total=Sum("points"))["total"] or 0,
        },
    )


urlpatterns = [
    path("<int:pk>/loyalty/", loyalty_ledger, name="loyalty_ledger"),
    path("<int:pk>/loyalty/redeem/", loyalty_redeem_view, name="loyalty_redeem"),
]
