from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Tenant
from .selectors import tenant_visible_to


class TenantForm(forms.Form):
    shop_name = forms.CharField(label=_("Shop name"), max_length=200)
    unit = forms.CharField(label=_("Unit number"), max_length=20)
    floor = forms.CharField(label=_("Floor"), max_length=10)
    business_type = forms.CharField(label=_("Business type"), max_length=100)
    lease_start = forms.DateField(
        label=_("Lease start"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    lease_end = forms.DateField(label=_("Lease end"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @staticmethod
    def initial_of(tenant: Tenant) -> dict:
        return {name: getattr(tenant, name) for name in TenantForm.base_fields}


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    role = forms.CharField(label=_("Role"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    wechat = forms.CharField(label=_("WeChat"), max_length=60, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    is_primary = forms.BooleanField(label=_("Main contact"), required=False)
    DELETE = forms.BooleanField(label=_("Remove"), required=False)


ContactFormSet = forms.formset_factory(ContactForm, extra=2, max_num=20, absolute_max=20, validate_max=True)


def contacts_of(formset) -> list[dict]:
    """The filled rows not marked for removal, as the services take them."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if data.get("DELETE") or not any(data.get(f) for f in ("name", "role", "phone", "wechat", "email")):
            continue
        rows.append({key: value for key, value in data.items() if key != "DELETE"})
    return rows


class StorageReceiveForm(forms.Form):
    tenant = forms.ModelChoiceField(label=_("Owner tenant"), queryset=Tenant.objects.none())
    item = forms.CharField(label=_("Item"), max_length=200)
    location = forms.CharField(label=_("Kept at"), max_length=100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenant"].queryset = tenant_visible_to(user).filter(moved_out_at__isnull=True)


class PickUpForm(forms.Form):
    picked_up_by = forms.CharField(label=_("Picked up by"), max_length=100)
