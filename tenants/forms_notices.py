from django import forms
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import Department

from .models import NoticeTemplate, Tenant
from .permissions import is_desk_staff
from .selectors_notices import current_floors

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

ADDRESS_ALL, ADDRESS_FLOOR, ADDRESS_PICKED = "all", "floor", "picked"


class NoticeTemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Placeholders: {tenant} (shop name), {unit}, {date} (date of the notice), {due_date}."),
    )


class NoticeForm(forms.Form):
    """A new notice 对外发文 from a template, addressed to all current tenants, a floor, or
    the tenants picked (TEN-06)."""

    template = forms.ModelChoiceField(label=_("Template"), queryset=NoticeTemplate.objects.none(), required=False)
    department = forms.ModelChoiceField(label=_("Department concerned"), queryset=Department.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Placeholders: {tenant} (shop name), {unit}, {date} (date of the notice), {due_date}."),
    )
    notice_date = forms.DateField(label=_("Date of the notice"), widget=_DATE)
    due_date = forms.DateField(label=_("Due date"), widget=_DATE, required=False)
    address = forms.ChoiceField(
        label=_("Addressed to"),
        widget=forms.RadioSelect,
        initial=ADDRESS_ALL,
        choices=[
            (ADDRESS_ALL, _("All current tenants")),
            (ADDRESS_FLOOR, _("The tenants of one floor")),
            (ADDRESS_PICKED, _("The tenants picked below")),
        ],
    )
    floor = forms.ChoiceField(label=_("Floor"), required=False)
    tenants = forms.ModelMultipleChoiceField(
        label=_("Tenants"),
        queryset=Tenant.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = NoticeTemplate.objects.order_by("name")
        departments = Department.objects.order_by("code")
        if not (is_desk_staff(user)):
            departments = departments.filter(pk=user.department_id)
        self.fields["department"].queryset = departments
        self.fields["floor"].choices = [("", "—"), *((floor, floor) for floor in current_floors())]
        self.fields["tenants"].queryset = Tenant.objects.filter(moved_out_at__isnull=True).order_by("floor", "unit")

    def clean(self):
        data = super().clean()
        address = data.get("address")
        current = Tenant.objects.filter(moved_out_at__isnull=True)
        if address == ADDRESS_FLOOR:
            if not data.get("floor"):
                self.add_error("floor", _("Choose the floor."))
            data["chosen"] = list(current.filter(floor=data.get("floor")))
        elif address == ADDRESS_PICKED:
            if not data.get("tenants"):
                self.add_error("tenants", _("Pick at least one tenant."))
            data["chosen"] = list(data.get("tenants") or [])
        else:
            data["chosen"] = list(current)
        return data


class PaperReceiptForm(forms.Form):
    tenant = forms.ModelChoiceField(label=_("Tenant"), queryset=Tenant.objects.none())
    signer_name = forms.CharField(label=_("Signed for by"), max_length=100, required=False)
    scan = forms.FileField(label=_("Scan of the signed receipt (PDF or image)"))

    def __init__(self, *args, notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenant"].queryset = Tenant.objects.filter(
            notices__notice=notice, notices__signed_at__isnull=True
        ).order_by("floor", "unit")
