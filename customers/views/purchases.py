"""Purchases 采购记录 (CUS-10): the list of all visible purchases (filter, sort, export) and
adding or editing a customer's purchase from the customer page — by the sales clerk, never by
the rep whose fees the figures make (EXP-04)."""

from django.contrib import messages
from django.db.models import F, Sum
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.core.errors import DomainError
from crm_project.core.listing import FilteredListView

from ..exports.purchases import PurchaseExport
from ..forms_purchases import PurchaseFilter, PurchaseForm
from ..permissions import may_feed_purchases, may_feed_purchases_of
from ..selectors import customer_visible_to, purchase_visible_to
from ..services.purchases import purchase_save


class PurchaseListView(FilteredListView):
    template_name = "customers/purchase_list.html"
    filterset_class = PurchaseFilter
    export_class = PurchaseExport
    sort_options = {
        "month": (gettext_lazy("Month"), "month"),
        "customer": (gettext_lazy("Customer"), "customer__name"),
        "product": (gettext_lazy("Product"), "product__code"),
        "amount": (gettext_lazy("Amount"), "amount"),
        "net": (gettext_lazy("Net sales"), "net"),
        "collected": (gettext_lazy("Collected"), "collected_amount"),
    }
    default_sort = "-month"

    def base_queryset(self):
        return (
            purchase_visible_to(self.request.user)
            .select_related("customer", "customer__owner", "product")
            .annotate(net=F("amount") - F("returned_amount"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["purchase_sums"] = self.object_list.order_by().aggregate(
            sold=Sum("amount"),
            returned=Sum("returned_amount"),
            net=Sum(F("amount") - F("returned_amount")),
            collected=Sum("collected_amount"),
        )
        context["may_import"] = may_feed_purchases(self.request.user)
        return context


def _customer_page(customer_id: int) -> str:
    return reverse("customers:customer_detail", args=[customer_id]) + "#tab-purchases"


def _save(request, form, customer, *, product, month, purchase=None):
    data = form.cleaned_data
    try:
        saved = purchase_save(
            actor=request.user,
            customer=customer,
            product=product,
            month=month,
            quantity=data["quantity"],
            amount=data["amount"],
            returned_quantity=data["returned_quantity"],
            returned_amount=data["returned_amount"],
            collected_amount=data["collected_amount"],
            expect_new=purchase is None,
        )
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return False
    if getattr(saved, "posted_as_correction", False):
        messages.info(
            request,
            _(
                "%(month)s is on a submitted or signed statement, so its figures stay as they were: your change is "
                "saved as a late correction that the rep's next statement carries."
            )
            % {"month": f"{saved.month:%Y-%m}"},
        )
    else:
        messages.success(request, _("Purchase saved."))
    return True


def purchase_create(request, pk: int):
    customer = get_object_or_404(customer_visible_to(request.user), pk=pk)
    if not may_feed_purchases_of(request.user, customer):
        return render(request, "403.html", status=403)
    form = PurchaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(request, form, customer, product=data["product"], month=data["month"]):
            return HttpResponseRedirect(_customer_page(customer.pk))
    return render(request, "customers/purchase_form.html", {"form": form, "customer": customer, "purchase": None})


def purchase_edit(request, pk: int, purchase_pk: int):
    purchase = get_object_or_404(
        purchase_visible_to(request.user).select_related("customer", "product"), pk=purchase_pk, customer_id=pk
    )
    customer = purchase.customer
    if not may_feed_purchases_of(request.user, customer):
        return render(request, "403.html", status=403)
    initial = {name: getattr(purchase, name) for name in PurchaseForm.base_fields if hasattr(purchase, name)}
    form = PurchaseForm(request.POST or None, initial=initial, purchase=purchase, user=request.user)
    saved = request.method == "POST" and form.is_valid()
    if saved and _save(request, form, customer, product=purchase.product, month=purchase.month, purchase=purchase):
        return HttpResponseRedirect(_customer_page(customer.pk))
    return render(request, "customers/purchase_form.html", {"form": form, "customer": customer, "purchase": purchase})


urlpatterns = [
    path("purchases/", PurchaseListView.as_view(), name="purchase_list"),
    path("<int:pk>/purchases/new/", purchase_create, name="purchase_create"),
    path("<int:pk>/purchases/<int:purchase_pk>/edit/", purchase_edit, name="purchase_edit"),
]
