from django import forms
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.pickers import use_picker

from .models import Customer, CustomerKind, Industry


class CustomerForm(forms.ModelForm):
    """CUS-01: organisation and individual fields; the grade has its own form (CUS-03)."""

    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Customer
        fields = [
            "code", "kind", "name", "status", "owner", "industry", "size", "region_scope", "region", "address",
            "legal_representative", "phone", "email", "website", "source", "bank_name", "bank_account",
            "gender", "age_band", "position", "first_deal_date", "needs", "budget",
        ]  # fmt: skip
        widgets = {
            "first_deal_date": forms.DateInput(attrs={"type": "date"}),
            "needs": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = Industry.objects.filter(active=True)
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Leave empty to assign one automatically.")
        if self.instance.pk:
            self.fields["code"].disabled = True
        may_assign = user.is_superuser or user.has_role(Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.SALES_CLERK)
        if may_assign:
            use_picker(self.fields["owner"], "users", user, scope="department_reps")
            self.fields["owner"].required = not self.instance.pk
            if self.instance.pk:
                self.initial["owner"] = self.instance.owner_id
        else:
            del self.fields["owner"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == CustomerKind.ORGANISATION and not cleaned.get("industry"):
            self.add_error("industry", _("An organisation needs an industry."))
        if cleaned.get("budget") is not None and cleaned["budget"] < 0:
            self.add_error("budget", _("The budget cannot be negative."))
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
