from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.access import sees_everything
from crm_project.accounts.models import Department

from .blocks import Scope
from .periods import parse_period, period_error, this_month


class DashboardQueryForm(forms.Form):
    """The dashboard's period and, for management, a department (DSH-01). An empty period is
    this month; a department is offered only to those who see every department."""

    period = forms.CharField(
        label=_("Period"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "2026-09 / 2026-Q3 / 2026", "maxlength": 10}),
        help_text=_("A month (2026-09), a quarter (2026-Q3) or a year (2026)."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All departments"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if sees_everything(user):
            self.fields["department"].queryset = Department.objects.order_by("code")
        else:
            del self.fields["department"]

    def clean_period(self):
        value = self.cleaned_data["period"]
        if not value:
            return this_month()
        try:
            return parse_period(value)
        except ValueError:
            raise ValidationError(period_error(), code="invalid") from None

    def scope(self) -> Scope:
        return Scope(self.user, self.cleaned_data["period"], self.cleaned_data.get("department"))
