from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, FeeScheduleItem, Tenant, TenantMeeting

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=_DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=TenantMeeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )

    @staticmethod
    def initial_of(meeting: TenantMeeting) -> dict:
        return {name: getattr(meeting, name) for name in MeetingForm.base_fields}


class SuggestionForm(forms.Form):
    tenant = forms.ModelChoiceField(label=_("Raised by"), queryset=Tenant.objects.none())
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial=Category.SUGGESTION)
    description = forms.CharField(label=_("Suggestion"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meeting: TenantMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenant"].queryset = Tenant.objects.filter(meeting_attendances__meeting=meeting).order_by("unit")


class FeeItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FeeScheduleItem.Kind.choices)
    name = forms.CharField(label=_("English name"), max_length=200)
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=60, help_text=_("e.g. per m² per month"))
    amount = forms.DecimalField(label=_("Amount (CNY)"), min_value=0, max_digits=12, decimal_places=2)
    valid_from = forms.DateField(label=_("Valid from"), widget=_DATE)
    valid_to = forms.DateField(label=_("Valid until"), required=False, widget=_DATE, help_text=_("empty: open-ended"))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    @staticmethod
    def initial_of(item: FeeScheduleItem) -> dict:
        return {name: getattr(item, name) for name in FeeItemForm.base_fields}
