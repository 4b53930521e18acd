"""Forms of the satisfaction surveys: the survey definition with its questions, starting a
round, the public answer form and completing a follow-up. The services check everything
again; the forms only give the person a clear message next to the field."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm_project.accounts.models import User
from crm_project.core.pickers import use_picker
from customers.models import Grade, Industry
from tenants.models import Tenant

from .models import QuestionKind, SurveyAudience
from .services.answers import MAX_TEXT_ANSWER
from .services.rounds import can_manage_surveys

SCORES = [(str(n), str(n)) for n in range(1, 6)]


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(
        label=_("Audience"), choices=SurveyAudience.choices, required=False,
        help_text=_("Customer contacts, or the tenants' contacts (the tenant desk's surveys)."),
    )  # fmt: skip
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown above the questions."),
    )  # fmt: skip
    scheduled = forms.BooleanField(
        label=_("Send on schedule"), required=False,
        help_text=_(
            "Scheduled surveys get a round every period to all contacts of their audience: customers quarterly, "
            "tenants twice a year (by default)."
        ),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the audiences whose surveys this user runs (the tenants' are the desk's).
        choices = [(value, label) for value, label in SurveyAudience.choices if can_manage_surveys(user, value)]
        self.fields["audience"].choices = choices
        self.fields["audience"].initial = choices[0][0] if choices else None
        if len(choices) == 1:
            self.fields["audience"].widget = forms.HiddenInput()

    def clean_audience(self) -> str:
        # Left out: the first audience this user runs (customers for customer service).
        return self.cleaned_data.get("audience") or self.fields["audience"].initial or SurveyAudience.CUSTOMERS


class QuestionForm(forms.Form):
    """One question; a row left without text is ignored."""

    text = forms.CharField(label=_("Question"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices, initial=QuestionKind.SCORE)
    choices = forms.CharField(
        label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Single choice only: one choice per line."),
    )  # fmt: skip
    required = forms.BooleanField(label=pgettext_lazy("survey question", "Required"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if data.get("text") and data.get("kind") == QuestionKind.CHOICE:
            lines = [line.strip() for line in (data.get("choices") or "").splitlines() if line.strip()]
            if len(lines) < 2:
                self.add_error("choices", _("Give at least two choices, one per line."))
        return data

    def question(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("text"):
            return None
        return {
            "text": data["text"],
            "kind": data["kind"],
            "choices": data.get("choices") or "",
            "required": data.get("required", False),
        }


QuestionFormSet = forms.formset_factory(QuestionForm, extra=5, max_num=30, validate_max=True)


class RoundStartForm(forms.Form):
    name = forms.CharField(label=_("Round name"), max_length=100, help_text=_("e.g. “Autumn 2026”"))
    grades = forms.MultipleChoiceField(
        label=_("Grades"), required=False, choices=[(g.value, g.value) for g in Grade],
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every grade."),
    )  # fmt: skip
    industries = forms.ModelMultipleChoiceField(
        label=_("Industries"), required=False, queryset=Industry.objects.filter(active=True), to_field_name="code",
        widget=forms.CheckboxSelectMultiple, help_text=_("None chosen: every industry."),
    )  # fmt: skip
    owners = forms.ModelMultipleChoiceField(
        label=_("Owners"), required=False, queryset=User.objects.none(), help_text=_("None chosen: every owner."),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        use_picker(self.fields["owners"], "users", user, scope="reps")

    def criteria(self) -> dict:
        data = self.cleaned_data
        return {
            "grades": list(data.get("grades") or []),
            "industries": [industry.code for industry in data.get("industries") or []],
            "owners": [user.pk for user in data.get("owners") or []],
        }


def _current_tenant_values(field: str) -> list[tuple[str, str]]:
    values = Tenant.objects.filter(moved_out_at__isnull=True).order_by(field).values_list(field, flat=True).distinct()
    return [(value, value) for value in values]


class TenantRoundStartForm(forms.Form):
    """A round to tenant contacts (SUR-01): every current tenant, or some floors or business types."""

    name = forms.CharField(label=_("Round name"), max_length=100, help_text=_("e.g. “2026 first half”"))
    floors = forms.MultipleChoiceField(
        label=_("Floors"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every floor."),
    )  # fmt: skip
    business_types = forms.MultipleChoiceField(
        label=_("Business types"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every business type."),
    )  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["floors"].choices = _current_tenant_values("floor")
        self.fields["business_types"].choices = _current_tenant_values("business_type")

    def criteria(self) -> dict:
        data = self.cleaned_data
        return {"floors": list(data.get("floors") or []), "business_types": list(data.get("business_types") or [])}


def round_start_form(survey, user, data=None) -> forms.Form:
    form_class = TenantRoundStartForm if survey.audience == SurveyAudience.TENANTS else RoundStartForm
    return form_class(data, user=user)


class AnswerForm(forms.Form):
    """The public answer form: one field `q<id>` per question."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.SCORE:
                field = forms.ChoiceField(choices=SCORES, widget=forms.RadioSelect)
            elif question.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(choices=[(c, c) for c in question.choices], widget=forms.RadioSelect)
            else:
                field = forms.CharField(
                    max_length=MAX_TEXT_ANSWER,
                    widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT_ANSWER}),
                )
            field.label = question.text
            field.required = question.required
            field.error_messages["required"] = _("Please answer this question.")
            field.error_messages["invalid_choice"] = _("Pick one of the choices offered.")
            field.error_messages["max_length"] = _("Please keep the answer under %(limit_value)s characters.")
            self.fields[name] = field

    def answers(self) -> dict:
        return {
            question.pk: self.cleaned_data.get(f"q{question.pk}")
            for question in self.questions
            if self.cleaned_data.get(f"q{question.pk}") not in (None, "")
        }

    def rows(self):
        """(question, bound field) pairs for the template."""
        return [(question, self[f"q{question.pk}"]) for question in self.questions]


class FollowUpDoneForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), required=False, max_length=MAX_TEXT_ANSWER,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
