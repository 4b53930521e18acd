"""Required fields are marked before the user submits: crispy-forms puts an asterisk
(`<span class="asteriskField">*</span>`) in a required field's label and Django the `required`
attribute on its input; `{% required_legend form %}` explains the asterisk under the form
("* 必填") when the form — or any of several forms, or a formset — has a required field."""

from django import forms, template
from django.template.loader import render_to_string

register = template.Library()


def _forms(value):
    if value is None or value == "":
        return []
    if isinstance(value, forms.BaseForm):
        return [value]
    if isinstance(value, forms.BaseFormSet):
        return list(value.forms)
    if isinstance(value, list | tuple):
        return [form for item in value for form in _forms(item)]
    return []


@register.filter
def has_required_fields(value) -> bool:
    return any(
        field.required and not isinstance(field.widget, forms.HiddenInput)
        for form in _forms(value)
        for field in form.fields.values()
    )


@register.simple_tag
def required_legend(*values):
    if not any(has_required_fields(value) for value in values):
        return ""
    return render_to_string("core/_required_legend.html")
