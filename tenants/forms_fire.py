"""The fire-safety inspection's forms (TEN-07): the result of a unit and a re-inspection, made
for a phone in the inspector's hand. The rules are the service's; these only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services.fire import FINDINGS_MAX, check_item_choices

OUTCOMES = [("pass", _("Passed")), ("fail", _("Failed"))]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultiplePhotoField, self).clean(file, initial) for file in files if file]


class _Outcome(forms.Form):
    outcome = forms.ChoiceField(label=_("Result"), choices=OUTCOMES, widget=forms.RadioSelect)
    findings = forms.CharField(
        label=_("Inspection findings"),
        required=False,
        max_length=FINDINGS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the unit fails: it goes into the rectification letter."),
    )
    photos = MultiplePhotoField(label=_("Photos"))

    @property
    def passed(self) -> bool:
        return self.cleaned_data["outcome"] == "pass"


class ResultForm(_Outcome):
    items = forms.MultipleChoiceField(
        label=_("Items checked"), required=False, widget=forms.CheckboxSelectMultiple, choices=check_item_choices
    )

    field_order = ["items", "outcome", "findings", "photos"]


class ReinspectForm(_Outcome):
    pass
