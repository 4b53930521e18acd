from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm_project.accounts.models import Department
from crm_project.core.months import MonthField
from crm_project.core.pickers import use_picker
from customers.models import Contact

from .models import Channel, ComplaintCategory, Severity
from .permissions import is_customer_service
from .services.intake import COMPANY_MAX, CONTACT_MAX, NAME_MAX, TEXT_MAX


def _intake_pickers(form, user, customer_id=None) -> None:
    """The customer and contact pickers of intake (CMP-01); the contacts follow the customer
    chosen in the form, and only that customer's contacts are accepted (CUS-07)."""
    use_picker(form.fields["customer"], "intake-customers", user)
    chosen = form.data.get(form.add_prefix("customer")) if form.is_bound else customer_id
    use_picker(
        form.fields["contact"], "intake-contacts", user,
        customer=chosen if chosen and str(chosen).isdigit() else None,
        depends={"customer": form["customer"].auto_id},
    )  # fmt: skip


class ComplaintForm(forms.Form):
    """CMP-01: staff intake from any channel."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.HOTLINE)
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None, required=False)
    contact = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=Contact.objects.none(),
        required=False,
        help_text=_("Choose the customer first to pick one of its contacts."),
    )
    complainant_name = forms.CharField(label=_("Complainant"), max_length=NAME_MAX, required=False)
    complainant_contact = forms.CharField(label=_("Phone or e-mail"), max_length=CONTACT_MAX, required=False)
    complainant_company = forms.CharField(
        label=_("Company"), max_length=COMPANY_MAX, required=False, help_text=_("The customer's name if left empty.")
    )
    text = forms.CharField(
        label=pgettext_lazy("complaint text", "Complaint"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("not yet classified")), *ComplaintCategory.choices], required=False
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.NORMAL)

    def __init__(self, *args, user, customer_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_customer_service(user):
            self.fields["customer"].required = True
        _intake_pickers(self, user, customer_id)
        if customer_id and not self.is_bound:
            self.initial["customer"] = customer_id

    def clean(self):
        cleaned = super().clean()
        contact = cleaned.get("contact")
        if not cleaned.get("complainant_name") and contact is not None:
            cleaned["complainant_name"] = contact.name
            cleaned["complainant_contact"] = cleaned.get("complainant_contact") or contact.phone
        if not cleaned.get("complainant_name"):
            self.add_error("complainant_name", _("Who complains? Enter a name or choose a contact person."))
        return cleaned


class PublicComplaintForm(forms.Form):
    """CMP-01: the public form. `website` is a honeypot: hidden from people, filled by bots."""

    name = forms.CharField(label=_("Your name"), max_length=NAME_MAX)
    contact = forms.CharField(
        label=_("Phone or e-mail"), max_length=CONTACT_MAX, help_text=_("So that we can reach you about it.")
    )
    company = forms.CharField(label=_("Company"), max_length=COMPANY_MAX, required=False)
    text = forms.CharField(
        label=_("Your complaint"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, when, and which product or order it concerns (at most 5,000 characters)."),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "contact", "company", "text"):
            self.fields[name].widget.attrs["maxlength"] = self.fields[name].max_length

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("website") or "").strip())


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(NoteForm):
    department = forms.ModelChoiceField(label=_("Responsible department"), queryset=Department.objects.all())

    field_order = ["department", "note"]


class ProposeForm(forms.Form):
    solution = forms.CharField(label=_("Proposed solution"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("Customer's satisfaction"),
        choices=[(score, str(score)) for score in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = very dissatisfied, 5 = very satisfied"),
    )
    root_cause = forms.CharField(label=_("Root cause"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    preventive_action = forms.CharField(
        label=_("Preventive action"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the customer dissatisfied?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


ACTION_FORMS = {
    "assign": AssignForm,
    "investigate": NoteForm,
    "propose": ProposeForm,
    "inform": NoteForm,
    "close": CloseForm,
    "reopen": ReopenForm,
}


class ClassifyForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("not yet classified")), *ComplaintCategory.choices], required=False
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)


class MatchCustomerForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None)
    contact = forms.ModelChoiceField(label=_("Contact person"), queryset=Contact.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _intake_pickers(self, user)


class ReportPeriodForm(forms.Form):
    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end month is before the start month."))
        return cleaned
