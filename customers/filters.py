import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import User
from crm_project.core.filters import ColumnMultipleChoiceFilter
from crm_project.core.pickers import use_filter_picker

from .models import Customer, CustomerKind, CustomerSize, CustomerStatus, Grade, Industry, RegionScope
from .selectors import new_customer_since, overdue_visit_exists, search_customers


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    grade = ColumnMultipleChoiceFilter(
        label=_("Grade"), choices=[(g.value, g.value) for g in Grade], widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CustomerStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CustomerKind.choices)
    industry = django_filters.ModelChoiceFilter(label=_("Industry"), queryset=Industry.objects.filter(active=True))
    size = django_filters.ChoiceFilter(label=_("Size"), choices=CustomerSize.choices)
    region_scope = django_filters.ChoiceFilter(label=_("Domestic / international"), choices=RegionScope.choices)
    region = django_filters.CharFilter(label=_("Province or country"), lookup_expr="icontains")
    age = django_filters.ChoiceFilter(
        label=_("New / old"), choices=[("new", _("new")), ("old", _("old"))], method="filter_age"
    )
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=User.objects.none())
    overdue_visit = django_filters.BooleanFilter(
        label=_("Overdue visit"), method="filter_overdue", widget=forms.CheckboxInput
    )
    archived = django_filters.BooleanFilter(
        label=_("Include archived"), method="filter_archived", widget=forms.CheckboxInput
    )

    class Meta:
        model = Customer
        fields = ["q", "grade", "status", "kind", "industry", "size", "region_scope", "region", "age", "owner"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        use_filter_picker(self, "owner", "users", scope="department_reps")

    @property
    def qs(self):
        queryset = super().qs
        if not (self.form.is_bound and self.form.is_valid() and self.form.cleaned_data.get("archived")):
            queryset = queryset.filter(archived_at__isnull=True)
        return queryset

    def filter_text(self, queryset, name, value):
        return search_customers(queryset, value)

    def filter_age(self, queryset, name, value):
        since = new_customer_since(timezone.localdate())
        if value == "new":
            return queryset.filter(first_deal_date__gt=since)
        return queryset.filter(first_deal_date__lte=since)

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.filter(overdue_visit_exists())
        return queryset

    def filter_archived(self, queryset, name, value):
        return queryset
