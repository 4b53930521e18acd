"""Fee standards per product (EXP-02): every product's standards with their tiers, newest
first, and — for finance — a form to set a new standard from a month not yet on a submitted
statement."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from crm_project.core.errors import DomainError, PermissionDenied
from customers.models import Product

from ..forms import FeeStandardForm, TierFormSet
from ..models import FeeStandard
from ..permissions import can_set_standards
from ..selectors_pages import may_see_fee_pages, standards_by_product
from ..services.standards import fee_standard_create


def _products():
    """Active products, and retired ones that still have a standard (their history)."""
    return Product.objects.filter(Q(active=True) | Q(pk__in=FeeStandard.objects.values("product_id")))


def standard_list(request):
    user = request.user
    if not may_see_fee_pages(user):
        raise Http404
    may_set = can_set_standards(user)
    form = formset = None
    if may_set:
        form = FeeStandardForm(request.POST or None, user=request.user)
        formset = TierFormSet(request.POST or None, prefix="tiers")
    if request.method == "POST":
        if not may_set:
            messages.error(request, _("Only finance sets fee standards."))
            return render(request, "403.html", status=403)
        if form.is_valid() and formset.is_valid():
            tiers = [tier for tier in (row.tier() for row in formset) if tier is not None]
            try:
                standard = fee_standard_create(
                    actor=user,
                    product=form.cleaned_data["product"],
                    valid_from=form.cleaned_data["valid_from"],
                    tiers=tiers,
                )
            except PermissionDenied as error:
                messages.error(request, error.message)
                return render(request, "403.html", status=403)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("Standard for %(product)s from %(month)s saved.")
                    % {"product": standard.product.name, "month": f"{standard.valid_from:%Y-%m}"},
                )
                return HttpResponseRedirect(reverse("expenses:standard_list"))
        messages.error(request, _("The standard was not saved: correct the marked fields."))
    return render(
        request,
        "expenses/standard_list.html",
        {
            "products": standards_by_product(_products().order_by("code")),
            "form": form,
            "formset": formset,
            "can_set": may_set,
        },
    )


urlpatterns = [path("standards/", standard_list, name="standard_list")]
