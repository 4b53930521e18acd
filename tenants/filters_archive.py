import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Tenant
from .selectors import search_tenants

YES_NO = [("no", _("no")), ("yes", _("yes"))]


class TenantFilter(django_filters.FilterSet):
    """TEN-01: the archive's search and filters; current tenants only unless asked."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text", help_text=_("shop, unit, contact or phone"))
    floor = django_filters.CharFilter(label=_("Floor"), field_name="floor", lookup_expr="iexact")
    business_type = django_filters.CharFilter(
        label=_("Business type"), field_name="business_type", lookup_expr="icontains"
    )
    lease_ending = django_filters.BooleanFilter(label=_("Lease ending soon"), method="filter_lease")
    moved_out = django_filters.ChoiceFilter(label=_("Moved out"), choices=YES_NO, method="filter_moved_out")

    class Meta:
        model = Tenant
        fields = ["q", "floor", "business_type", "lease_ending", "moved_out"]

    @property
    def qs(self):
        queryset = super().qs
        if not (self.data or {}).get("moved_out"):
            queryset = queryset.filter(moved_out_at__isnull=True)
        return queryset

    def filter_text(self, queryset, name, value):
        return search_tenants(queryset, value)

    def filter_lease(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(lease_ending=value)

    def filter_moved_out(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(moved_out_at__isnull=False)
        return queryset.filter(moved_out_at__isnull=True)
