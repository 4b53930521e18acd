import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm_project.core.filters import ColumnMultipleChoiceFilter

from .identity import normalise_credit_code
from .models import Stage, Supplier


class SupplierFilter(django_filters.FilterSet):
    """The supplier list's filters (SUP-02): a search, the stage, the goods, when registered."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text", help_text=_("name, credit code or code"))
    stage = ColumnMultipleChoiceFilter(label=_("Stage"), choices=Stage.choices)
    goods = django_filters.CharFilter(label=_("Goods"), field_name="goods", lookup_expr="icontains")
    registered_from = django_filters.DateFilter(
        label=_("Registered from"), field_name="registered_at__date", lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    registered_to = django_filters.DateFilter(
        label=_("Registered until"), field_name="registered_at__date", lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip

    class Meta:
        model = Supplier
        fields = ["q", "stage", "goods", "registered_from", "registered_to"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        code = normalise_credit_code(value)
        condition = Q(name__icontains=value) | Q(code__iexact=value)
        if code:
            condition |= Q(credit_code__startswith=code)
        return queryset.filter(condition)


class PaymentTermsFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text", help_text=_("name or code"))

    class Meta:
        model = Supplier
        fields = ["q"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))
