import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import Department
from crm_project.core.filters import ColumnMultipleChoiceFilter

from .models import Notice, NoticeStatus

_DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class NoticeFilter(django_filters.FilterSet):
    """The notice list's filters (TEN-06, DSH-03)."""

    status = ColumnMultipleChoiceFilter(label=_("Status"), choices=NoticeStatus.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("Department concerned"), queryset=Department.objects.order_by("code"), field_name="department"
    )
    date_from = django_filters.DateFilter(label=_("Dated from"), field_name="notice_date", lookup_expr="gte", **_DATE)
    date_to = django_filters.DateFilter(label=_("Dated until"), field_name="notice_date", lookup_expr="lte", **_DATE)
    unsigned = django_filters.BooleanFilter(label=_("Unsigned tenants left"), method="filter_unsigned")

    class Meta:
        model = Notice
        fields = ["status", "department", "date_from", "date_to", "unsigned"]

    def filter_unsigned(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(unsigned_count__gt=0) if value else queryset.filter(unsigned_count=0)
