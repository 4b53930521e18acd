from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import Department
from crm_project.core.filters import ColumnMultipleChoiceFilter
from crm_project.workdays.calendar import local_zone

from .models import Category, Channel, Status, TenantRequest
from .selectors import breached, tenant_visible_to

_DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=local_zone())


class RequestFilter(django_filters.FilterSet):
    """The request log's filters (TEN-02, DSH-03)."""

    category = ColumnMultipleChoiceFilter(label=_("Category"), choices=Category.choices)
    channel = ColumnMultipleChoiceFilter(label=_("Channel"), choices=Channel.choices)
    status = ColumnMultipleChoiceFilter(label=_("Status"), choices=Status.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.order_by("code"), field_name="department"
    )
    tenant = django_filters.ModelChoiceFilter(label=_("Tenant"), queryset=None, field_name="tenant")
    breached = django_filters.BooleanFilter(label=_("Breached"), method="filter_breached")
    logged_from = django_filters.DateFilter(
        label=_("Logged from"), field_name="logged_at__date", lookup_expr="gte", **_DATE
    )
    logged_to = django_filters.DateFilter(
        label=_("Logged until"), field_name="logged_at__date", lookup_expr="lte", **_DATE
    )
    # Whole days in Asia/Shanghai as a range of the indexed moment (the dashboard links here).
    resolved_from = django_filters.DateFilter(label=_("Resolved from"), method="filter_resolved_from", **_DATE)
    resolved_to = django_filters.DateFilter(label=_("Resolved until"), method="filter_resolved_to", **_DATE)

    class Meta:
        model = TenantRequest
        fields = ["category", "channel", "status", "department", "tenant", "breached", "logged_from", "logged_to"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request is not None else None
        self.filters["tenant"].queryset = tenant_visible_to(user).order_by("unit")

    def filter_resolved_from(self, queryset, name, value):
        return queryset.filter(resolved_at__gte=_midnight(value))

    def filter_resolved_to(self, queryset, name, value):
        return queryset.filter(resolved_at__lt=_midnight(value + timedelta(days=1)))

    def filter_breached(self, queryset, name, value):
        if value is None:
            return queryset
        condition = breached(timezone.now())
        return queryset.filter(condition) if value else queryset.exclude(condition)
