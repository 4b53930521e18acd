"""Forms and list filters for what follows a valid statement: new-customer special fees
(EXP-09), advances and spot-checks (EXP-10), sign-off sheets and write-off (EXP-11)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import User
from crm_project.core.months import MonthFilter
from crm_project.core.pickers import use_filter_picker, use_picker
from customers.models import Customer

from .models import (
    Advance,
    AdvanceStatus,
    SignoffSheet,
    SpecialFeeApplication,
    SpecialFeeStatus,
    Statement,
    StatementStatus,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _amount_field(label=None, required=True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label or _("Amount (yuan)"), max_digits=14, decimal_places=2, required=required,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )  # fmt: skip


# --- special fees (EXP-09) --------------------------------------------------------------------


class SpecialFeeForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    planned_contract_date = forms.DateField(label=_("Planned contract date"), widget=DATE)
    contract_signed_on = forms.DateField(
        label=_("Contract already signed on"), widget=DATE, required=False,
        help_text=_("Only if the contract is already signed — the application is then invalid (EXP-09)."),
    )  # fmt: skip
    amount = _amount_field()
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        use_picker(self.fields["customer"], "customers", user, scope="own")


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ContractDateForm(forms.Form):
    signed_on = forms.DateField(label=_("Contract signed on"), widget=DATE)


class SpecialFeeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Customer"), method="filter_customer")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SpecialFeeStatus.choices)
    rep = django_filters.ModelChoiceFilter(label=_("Rep"), queryset=User.objects.none())

    class Meta:
        model = SpecialFeeApplication
        fields = ["q", "status", "rep"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        use_filter_picker(self, "rep", "users", scope="sales_reps")

    def filter_customer(self, queryset, name, value):
        return queryset.filter(Q(customer__name__icontains=value) | Q(customer__code__icontains=value))


# --- advances and spot-checks (EXP-10) --------------------------------------------------------


class AdvanceForm(forms.Form):
    statement = forms.ModelChoiceField(label=_("Statement"), queryset=Statement.objects.none())
    amount = _amount_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statement"].queryset = Statement.objects.filter(
            rep=user, status=StatementStatus.VALID, written_off_at__isnull=True
        ).order_by("-month")
        self.fields["statement"].label_from_instance = lambda s: f"{s.month:%Y-%m}"


class AdvanceFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AdvanceStatus.choices)
    rep = django_filters.ModelChoiceFilter(label=_("Rep"), queryset=User.objects.none())

    class Meta:
        model = Advance
        fields = ["status", "rep"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        use_filter_picker(self, "rep", "users", scope="sales_reps")


class SpotCheckForm(forms.Form):
    customers = forms.TypedMultipleChoiceField(
        label=_("Customers checked"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    all_confirmed = forms.BooleanField(
        label=_("All of them confirmed their contacts received the fees"), required=False
    )
    note = forms.CharField(
        label=_("What the customers said"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args, customers, size, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customers"].choices = [(c.pk, f"{c.name} ({c.code})") for c in customers]
        self.fields["customers"].help_text = _("Choose exactly %(n)d.") % {"n": size}


# --- sign-off sheets (EXP-11) -----------------------------------------------------------------


class PaperUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Signed sheet (PDF, JPG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}),
    )


class WriteOffForm(forms.Form):
    amount = _amount_field(_("Finance's amount (yuan)"), required=False)


SHEET_STATES = [
    ("unpaid", _("not paid out")),
    ("unconfirmed", _("paid, not confirmed")),
    ("confirmed", _("confirmed, not handed to finance")),
    ("handed_in", _("handed to finance")),
    ("written_off", _("written off")),
]


class SignoffSheetFilter(django_filters.FilterSet):
    month = MonthFilter(label=_("Month"), field_name="statement__month")
    state = django_filters.ChoiceFilter(label=_("State"), choices=SHEET_STATES, method="filter_state")
    rep = django_filters.ModelChoiceFilter(label=_("Rep"), field_name="statement__rep", queryset=User.objects.none())
    q = django_filters.CharFilter(label=_("Customer or contact"), method="filter_text")

    class Meta:
        model = SignoffSheet
        fields = ["month", "state", "rep", "q"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        use_filter_picker(self, "rep", "users", scope="sales_reps")

    def filter_state(self, queryset, name, value):
        conditions = {
            "unpaid": Q(paid_at__isnull=True),
            "unconfirmed": Q(paid_at__isnull=False, confirmed_at__isnull=True),
            "confirmed": Q(confirmed_at__isnull=False, submitted_to_finance_at__isnull=True),
            "handed_in": Q(submitted_to_finance_at__isnull=False, written_off_at__isnull=True),
            "written_off": Q(written_off_at__isnull=False),
        }
        return queryset.filter(conditions[value])

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(contact__name__icontains=value)
            | Q(contact__customer__name__icontains=value)
            | Q(contact__customer__code__icontains=value)
        )
