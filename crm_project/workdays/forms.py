from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MonthField(forms.CharField):
    """A month as "YYYY-MM"; cleans to the first day of that month."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, e.g. 2026-10.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)

    def month_or_current(self) -> date:
        if self.is_valid() and self.cleaned_data["month"]:
            return self.cleaned_data["month"]
        return timezone.localdate().replace(day=1)
