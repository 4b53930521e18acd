"""Forms of the fee pages. They only parse input; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm_project.core.months import MonthField
from crm_project.core.pickers import use_picker
from customers.models import Product


class StatementCreateForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=pgettext_lazy("remarks", "Notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Why do you return it?"),
        required=False,  # the service refuses an empty comment with its own message (EXP-07)
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeeStandardForm(forms.Form):
    """EXP-02: a product's tiers from the first of a month."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    valid_from = MonthField(label=_("Valid from (month)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        use_picker(self.fields["product"], "products", user)


class TierForm(forms.Form):
    min_quantity = forms.IntegerField(label=_("From quantity"), required=False)
    max_quantity = forms.IntegerField(label=_("To quantity"), required=False, help_text=_("empty: no limit"))
    fee_per_unit = forms.DecimalField(label=_("Fee per unit (yuan)"), required=False, max_digits=12)

    def tier(self) -> dict | None:
        """The row as the service expects it, or None for an empty row."""
        data = self.cleaned_data
        if all(data.get(name) in (None, "") for name in ("min_quantity", "max_quantity", "fee_per_unit")):
            return None
        return {
            "min_quantity": data.get("min_quantity"),
            "max_quantity": data.get("max_quantity"),
            "fee_per_unit": data.get("fee_per_unit"),
        }


MAX_TIERS = 6
TierFormSet = forms.formset_factory(TierForm, extra=MAX_TIERS, max_num=MAX_TIERS, absolute_max=MAX_TIERS)
