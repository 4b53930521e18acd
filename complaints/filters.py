from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import Department
from crm_project.core.filters import ColumnMultipleChoiceFilter
from crm_project.workdays.calendar import local_zone

from .models import Channel, Complaint, ComplaintCategory, ComplaintStatus, Severity

_DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=local_zone())


class ComplaintFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    status = ColumnMultipleChoiceFilter(label=_("Status"), choices=ComplaintStatus.choices)
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=[("none", _("not yet classified")), *ComplaintCategory.choices],
        method="filter_category",
    )  # fmt: skip
    severity = django_filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices)
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.all())
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue", widget=forms.CheckboxInput)
    unmatched = django_filters.BooleanFilter(
        label=_("Not matched to a customer"), method="filter_unmatched", widget=forms.CheckboxInput
    )
    open = django_filters.BooleanFilter(label=_("Open only"), method="filter_open", widget=forms.CheckboxInput)
    # Whole days in Asia/Shanghai, as a range of the indexed moments (the dashboard links here).
    received_from = django_filters.DateFilter(label=_("Received from"), method="filter_from", **_DATE)
    received_to = django_filters.DateFilter(label=_("Received until"), method="filter_to", **_DATE)
    closed_from = django_filters.DateFilter(label=_("Closed from"), method="filter_from", **_DATE)
    closed_to = django_filters.DateFilter(label=_("Closed until"), method="filter_to", **_DATE)

    class Meta:
        model = Complaint
        fields = ["q", "status", "category", "severity", "department", "channel"]

    def filter_from(self, queryset, name, value):
        column = name.removesuffix("_from") + "_at"
        return queryset.filter(**{f"{column}__gte": _midnight(value)})

    def filter_to(self, queryset, name, value):
        column = name.removesuffix("_to") + "_at"
        return queryset.filter(**{f"{column}__lt": _midnight(value + timedelta(days=1))})

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(complainant_name__icontains=value)
            | Q(complainant_company__icontains=value)
            | Q(customer__name__icontains=value)
            | Q(customer__code__iexact=value)
        )

    def filter_category(self, queryset, name, value):
        return queryset.filter(category="" if value == "none" else value)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(is_overdue=True) if value else queryset

    def filter_unmatched(self, queryset, name, value):
        return queryset.filter(customer__isnull=True) if value else queryset

    def filter_open(self, queryset, name, value):
        return queryset.exclude(status=ComplaintStatus.CLOSED) if value else queryset
