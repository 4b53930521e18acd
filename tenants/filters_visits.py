import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import BulkNotice, NoticeKind, TenantVisit
from .selectors_visits import overdue, visitors

STATUS_CHOICES = [("overdue", _("overdue")), ("due", _("to visit")), ("done", _("done"))]


class TenantVisitFilter(django_filters.FilterSet):
    """TEN-08, DSH-03: the visit list's filters; the year defaults to this year."""

    year = django_filters.NumberFilter(label=_("Year"), method="filter_year", min_value=2000, max_value=2100)
    visitor = django_filters.ModelChoiceFilter(label=_("Visitor"), queryset=None, field_name="visitor")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, method="filter_status")
    floor = django_filters.CharFilter(label=_("Floor"), field_name="tenant__floor", lookup_expr="iexact")

    class Meta:
        model = TenantVisit
        fields = ["year", "visitor", "status", "floor"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["visitor"].queryset = visitors()

    @property
    def qs(self):
        queryset = super().qs
        cleaned = getattr(self.form, "cleaned_data", {}) if self.is_bound else {}
        if not cleaned.get("year"):
            queryset = self.filter_year(queryset, "year", self.chosen_year)
        return queryset

    @property
    def chosen_year(self) -> int:
        if self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("year"):
            return int(self.form.cleaned_data["year"])
        return timezone.localdate().year

    def filter_year(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(planned_on__year=int(value))

    def filter_status(self, queryset, name, value):
        if value == "overdue":
            return queryset.filter(overdue())
        if value == "due":
            return queryset.filter(done_at__isnull=True, planned_on__gte=timezone.localdate())
        if value == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset


class BulkNoticeFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=NoticeKind.choices)
    sent_from = django_filters.DateFilter(
        label=_("Sent from"), field_name="sent_at__date", lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    sent_to = django_filters.DateFilter(
        label=_("Sent until"), field_name="sent_at__date", lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip

    class Meta:
        model = BulkNotice
        fields = ["kind", "sent_from", "sent_to"]
