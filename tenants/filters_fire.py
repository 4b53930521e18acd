import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import FireInspection, Rectification


class InspectionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="month__year", min_value=2000, max_value=2100)

    class Meta:
        model = FireInspection
        fields = ["year"]


class RectificationFilter(django_filters.FilterSet):
    """TEN-07: the letters by status, floor, overdue, month; search by unit or shop."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text", max_length=100, help_text=_("unit or shop"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Rectification.Status.choices)
    floor = django_filters.CharFilter(label=_("Floor"), field_name="tenant__floor", lookup_expr="iexact", max_length=10)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), field_name="is_overdue")
    month = django_filters.DateFilter(
        label=_("Inspection month"), field_name="result__inspection__month", input_formats=["%Y-%m", "%Y-%m-%d"]
    )

    class Meta:
        model = Rectification
        fields = ["q", "status", "floor", "overdue", "month"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(result__unit__icontains=value) | Q(tenant__shop_name__icontains=value))
