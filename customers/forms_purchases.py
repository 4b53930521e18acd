"""Forms and list filters for purchases (CUS-10), loyalty redemptions (CUS-13) and Excel
imports (CUS-12). They only parse input; the rules are in the services."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import User
from crm_project.core.months import MonthField, MonthFilter
from crm_project.core.pickers import use_filter_picker, use_picker

from .models import ImportKind, Product, Purchase, PurchaseSource

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}
QUANTITY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


class PurchaseForm(forms.Form):
    """Add a purchase, or edit the figures of one (its product and month stay)."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    month = MonthField(label=_("Month"))
    quantity = forms.DecimalField(label=_("Quantity"), **QUANTITY)
    amount = forms.DecimalField(label=_("Amount (yuan)"), **MONEY)
    returned_quantity = forms.DecimalField(label=_("Quantity returned"), initial=0, **QUANTITY)
    returned_amount = forms.DecimalField(label=_("Amount returned (yuan)"), initial=0, **MONEY)
    collected_amount = forms.DecimalField(label=_("Amount collected 回款 (yuan)"), initial=0, **MONEY)

    def __init__(self, *args, user, purchase: Purchase | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if purchase is not None:
            del self.fields["product"], self.fields["month"]
        else:
            use_picker(self.fields["product"], "products", user)


class PurchaseFilter(django_filters.FilterSet):
    customer = django_filters.CharFilter(label=_("Customer (name or code)"), method="filter_customer")
    product = django_filters.ModelChoiceFilter(label=_("Product"), queryset=Product.objects.none())
    month_from = MonthFilter(label=_("From month"), field_name="month", lookup_expr="gte")
    month_to = MonthFilter(label=_("To month"), field_name="month", lookup_expr="lte")
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), field_name="customer__owner", queryset=User.objects.none()
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=PurchaseSource.choices)

    class Meta:
        model = Purchase
        fields = ["customer", "product", "month_from", "month_to", "owner", "source"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        use_filter_picker(self, "owner", "users", scope="department_reps")
        use_filter_picker(self, "product", "products", scope="all")

    def filter_customer(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(customer__search_text__icontains=value.lower()) | Q(customer__code__iexact=value))


class RedeemForm(forms.Form):
    points = forms.IntegerField(label=_("Points to redeem"), min_value=1)
    note = forms.CharField(
        label=_("Redeemed for"), max_length=200, help_text=_("The coupon or gift, e.g. “200-yuan coupon”.")
    )


def max_upload_mb() -> int:
    return int(getattr(settings, "IMPORT_MAX_UPLOAD_MB", 20))


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(mb)s MB. Start from a template.") % {"mb": max_upload_mb()}
