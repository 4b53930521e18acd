"""Forms and filters of the budget pages (EXP-16)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import Department

from .models import Budget, BudgetStatus, ExpenseCategory


def _money(label, *, negative: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=None if negative else 0,
        max_value=999_999_999_999, widget=forms.NumberInput(attrs={"step": "0.01"}),
    )  # fmt: skip


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.order_by("code"))
    category = forms.ModelChoiceField(label=_("Category"), queryset=ExpenseCategory.objects.all())
    amount = _money(_("Budget (yuan)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class BudgetAmountForm(forms.Form):
    amount = _money(_("Budget (yuan)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AdjustmentForm(forms.Form):
    amount = _money(_("Adjustment (yuan, negative to cut)"), negative=True)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class BudgetFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), min_value=2000, max_value=2100)
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.order_by("code"))
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=ExpenseCategory.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=BudgetStatus.choices)

    class Meta:
        model = Budget
        fields = ["year", "department", "category", "status"]


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.order_by("code"),
                                        required=False)  # fmt: skip
    category = forms.ModelChoiceField(label=_("Category"), queryset=ExpenseCategory.objects.all(), required=False)
