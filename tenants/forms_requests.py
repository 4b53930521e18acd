from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, Channel
from .selectors import tenant_visible_to


class TenantChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.unit} {obj.shop_name}"


class RequestLogForm(forms.Form):
    """TEN-02: phone-fast intake; the service checks everything again."""

    tenant = TenantChoice(label=_("tenant"), queryset=None)
    category = forms.ChoiceField(label=_("category"), choices=Category.choices, widget=forms.RadioSelect)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}))
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices, initial=Channel.HOTLINE)
    source_url = forms.URLField(label=_("source link"), required=False, assume_scheme="https")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenant"].queryset = tenant_visible_to(user).filter(moved_out_at__isnull=True).order_by("unit")
