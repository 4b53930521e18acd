import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import Department
from crm_project.core.filters import ColumnMultipleChoiceFilter

from .models import Category, Channel, Status, TenantRequest
from .selectors import breached, tenant_visible_to

_DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


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

    class Meta:
        model = TenantRequest
        fields = ["category", "channel", "status", "department", "tenant", "breached", "logged_from", "logged_to"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request is not None else None
        self.filters["tenant"].queryset = tenant_visible_to(user).order_by("unit")

    def filter_breached(self, queryset, name, value):
        if value is None:
            return queryset
        condition = breached(timezone.now())
        return queryset.filter(condition) if value else queryset.exclude(condition)
