import django_filters
from django.utils.translation import gettext_lazy as _

from .models import FeeScheduleItem, TenantMeeting


class MeetingFilter(django_filters.FilterSet):
    """The meeting list's filters (TEN-05, DSH-03)."""

    year = django_filters.NumberFilter(label=_("Year"), field_name="held_on__year", min_value=2000, max_value=2100)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=TenantMeeting.Kind.choices)

    class Meta:
        model = TenantMeeting
        fields = ["year", "kind"]


class FeeFilter(django_filters.FilterSet):
    """The fee schedule's filters (TEN-10, DSH-03)."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=FeeScheduleItem.Kind.choices)
    name = django_filters.CharFilter(label=_("Fee name"), method="filter_name", max_length=100)

    class Meta:
        model = FeeScheduleItem
        fields = ["kind", "name"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(name__icontains=value) | queryset.filter(name_zh__icontains=value)
