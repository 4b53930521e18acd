from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.core.months import MonthField


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)

    def month_or_current(self) -> date:
        if self.is_valid() and self.cleaned_data["month"]:
            return self.cleaned_data["month"]
        return timezone.localdate().replace(day=1)
