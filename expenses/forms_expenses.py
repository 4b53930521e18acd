"""Forms and list filters of the expense application and claim pages (EXP-17, ORG-02)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import Department

from .models import ApplicationStatus, ClaimStatus, ExpenseApplication, ExpenseCategory, ExpenseClaim
from .models.common import MONEY


def _money(label):
    return forms.DecimalField(label=label, max_digits=MONEY["max_digits"], decimal_places=2, min_value=0.01)


class ApplicationForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=ExpenseCategory.objects.none())
    event_date = forms.DateField(label=_("Date of the event"), widget=forms.DateInput(attrs={"type": "date"}))
    guest = forms.CharField(label=_("Guest"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    persons = forms.IntegerField(label=_("Number of persons"), min_value=1, max_value=1000)
    estimated_cost = _money(_("Estimated cost (yuan)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ExpenseCategory.objects.filter(applications=True)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ClaimForm(forms.Form):
    amount = _money(_("Actual amount (yuan)"))
    explanation = forms.CharField(
        label=_("Explanation (needed above the approved estimate)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    receipts = MultipleFileField(label=_("Receipts (images or PDF)"))


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class LateClaimForm(forms.Form):
    reason = forms.CharField(label=_("Why a late claim is allowed"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ApplicationStatus.choices)
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=ExpenseCategory.objects.all())
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.all())
    event_from = django_filters.DateFilter(label=_("Event from"), field_name="event_date", lookup_expr="gte",
                                           widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    event_to = django_filters.DateFilter(label=_("Event to"), field_name="event_date", lookup_expr="lte",
                                         widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    mine = django_filters.BooleanFilter(label=_("Only mine"), method="filter_mine",
                                        widget=forms.CheckboxInput)  # fmt: skip

    class Meta:
        model = ExpenseApplication
        fields = ["status", "category", "department", "event_from", "event_to", "mine"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(applicant=self.request.user) if value else queryset


class ClaimFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ClaimStatus.choices)
    category = django_filters.ModelChoiceFilter(label=_("Category"), field_name="application__category",
                                                queryset=ExpenseCategory.objects.all())  # fmt: skip
    department = django_filters.ModelChoiceFilter(label=_("Department"), field_name="application__department",
                                                  queryset=Department.objects.all())  # fmt: skip
    event_from = django_filters.DateFilter(
        label=_("Event from"), field_name="application__event_date", lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    event_to = django_filters.DateFilter(
        label=_("Event to"), field_name="application__event_date", lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    mine = django_filters.BooleanFilter(label=_("Only mine"), method="filter_mine",
                                        widget=forms.CheckboxInput)  # fmt: skip

    class Meta:
        model = ExpenseClaim
        fields = ["status", "category", "department", "event_from", "event_to", "mine"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(application__applicant=self.request.user) if value else queryset
