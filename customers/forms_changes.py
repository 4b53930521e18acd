"""Forms and filters of the grading pages (CUS-03), contact change requests (CUS-05) and
reviewed core-data changes (CUS-06)."""

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm_project.accounts.models import User
from crm_project.core.filters import ColumnMultipleChoiceFilter
from crm_project.core.pickers import use_filter_picker

from .models import ChangeStatus, Contact, ContactChangeAction, ContactChangeRequest, ContactRole, Customer, Grade
from .permissions import (
    can_approve_contact_change_as_director,
    can_approve_contact_change_as_manager,
    can_record_contact_change,
)
from .services.contacts import CONTACT_FIELDS


def _reason_field(label=None, required=True) -> forms.CharField:
    return forms.CharField(
        label=label or _("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=required
    )


class GradeForm(forms.Form):
    """Set a customer's grade, with a reason (CUS-03)."""

    grade = forms.ChoiceField(label=_("New grade"), choices=Grade.choices)
    reason = _reason_field(_("Why"))


class DecisionForm(forms.Form):
    """A reason for rejecting, or a note for confirming."""

    reason = _reason_field(required=False)


class RegradeFilter(django_filters.FilterSet):
    """The bulk re-grade page: by owner and by current grade."""

    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=User.objects.none())
    grade = ColumnMultipleChoiceFilter(
        label=_("Current grade"), choices=[(g.value, g.value) for g in Grade], widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Customer
        fields = ["owner", "grade"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        use_filter_picker(self, "owner", "users", scope="department_reps")


def waiting_for(user) -> Q:
    """The requests whose next step is this user's (CUS-05)."""
    statuses = []
    if can_approve_contact_change_as_manager(user):
        statuses.append(ChangeStatus.PENDING)
    if can_approve_contact_change_as_director(user):
        statuses.append(ChangeStatus.MANAGER_APPROVED)
    if can_record_contact_change(user):
        statuses.append(ChangeStatus.APPROVED)
    if not statuses:
        return Q(pk__in=[])
    return Q(status__in=statuses) & ~Q(filed_by=user)


def acts_on_change_requests(user) -> bool:
    return (
        can_approve_contact_change_as_manager(user)
        or can_approve_contact_change_as_director(user)
        or can_record_contact_change(user)
    )


class ChangeRequestFilter(django_filters.FilterSet):
    """附表5 requests: waiting for me (approvers and clerks), filed by me, under way, all."""

    SHOW = [
        ("waiting", _("Waiting for me")),
        ("mine", _("Filed by me")),
        ("open", _("Under way")),
        ("all", _("All")),
    ]
    show = django_filters.ChoiceFilter(label=_("Show"), choices=SHOW, method="filter_show", empty_label=None)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ChangeStatus.choices)
    q = django_filters.CharFilter(label=_("Customer"), method="filter_customer")

    class Meta:
        model = ContactChangeRequest
        fields = ["show", "status", "q"]

    def __init__(self, data=None, *args, **kwargs):
        request = kwargs.get("request")
        user = request.user if request else None
        default = "waiting" if user is not None and acts_on_change_requests(user) else "all"
        data = data.copy() if data is not None else {}
        if not data.get("show"):
            data["show"] = default
        super().__init__(data, *args, **kwargs)

    def filter_show(self, queryset, name, value):
        user = self.request.user
        if value == "waiting":
            return queryset.filter(waiting_for(user))
        if value == "mine":
            return queryset.filter(filed_by=user)
        if value == "open":
            return queryset.filter(
                status__in=[ChangeStatus.PENDING, ChangeStatus.MANAGER_APPROVED, ChangeStatus.APPROVED]
            )
        return queryset

    def filter_customer(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(customer__name__icontains=value) | Q(customer__code__icontains=value))


class ContactForm(forms.ModelForm):
    """A contact person who receives no fee (CUS-04); fee changes go through 附表5."""

    class Meta:
        model = Contact
        fields = list(CONTACT_FIELDS)
        widgets = {"birthday": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _share_field(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        widget=forms.NumberInput(attrs={"step": "0.01", "class": "form-control form-control-sm text-end"}),
        **kwargs,
    )


class ContactChangeForm(forms.Form):
    """附表5 (CUS-05): one row per fee-receiving contact (new share, or remove) and a few
    blank rows to add a contact. The 100 % rule itself is the service's."""

    ADD_ROWS = 3

    reason = _reason_field(_("Reason for the change"))

    def __init__(self, *args, receiving: list[Contact], **kwargs):
        super().__init__(*args, **kwargs)
        self.receiving = receiving
        for contact in receiving:
            self.fields[f"share_{contact.pk}"] = _share_field(label=_("New share (%)"), initial=contact.fee_share)
            self.fields[f"remove_{contact.pk}"] = forms.BooleanField(
                label=_("Remove"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
            )
        for n in range(self.ADD_ROWS):
            self.fields[f"add_{n}_name"] = forms.CharField(
                label=pgettext_lazy("person", "Name"), max_length=100, required=False,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )  # fmt: skip
            self.fields[f"add_{n}_role"] = forms.ChoiceField(
                label=_("Role at the customer"), choices=[("", "—"), *ContactRole.choices], required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )  # fmt: skip
            self.fields[f"add_{n}_phone"] = forms.CharField(
                label=_("Phone"), max_length=40, required=False,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )  # fmt: skip
            self.fields[f"add_{n}_share"] = _share_field(label=_("Share (%)"))

    def existing_rows(self):
        return [(contact, self[f"share_{contact.pk}"], self[f"remove_{contact.pk}"]) for contact in self.receiving]

    def add_rows(self):
        return [
            (self[f"add_{n}_name"], self[f"add_{n}_role"], self[f"add_{n}_phone"], self[f"add_{n}_share"])
            for n in range(self.ADD_ROWS)
        ]

    def clean(self):
        cleaned = super().clean()
        for n in range(self.ADD_ROWS):
            name, share = cleaned.get(f"add_{n}_name"), cleaned.get(f"add_{n}_share")
            role, phone = cleaned.get(f"add_{n}_role"), cleaned.get(f"add_{n}_phone")
            if (share is not None or role or phone) and not name:
                self.add_error(f"add_{n}_name", _("A contact to add needs a name."))
            if name and share is None:
                self.add_error(f"add_{n}_share", _("Give the new contact's share."))
            if name and not role:
                self.add_error(f"add_{n}_role", _("Choose the role at the customer."))
        return cleaned

    def items(self) -> list[dict]:
        """The lines for `contact_change_file`: only what actually changes."""
        data, items = self.cleaned_data, []
        for contact in self.receiving:
            share = data.get(f"share_{contact.pk}")
            if data.get(f"remove_{contact.pk}"):
                items.append({"action": ContactChangeAction.REMOVE, "contact": contact})
            elif share is not None and share != contact.fee_share:
                items.append({"action": ContactChangeAction.SHARE, "contact": contact, "new_share": share})
        for n in range(self.ADD_ROWS):
            if data.get(f"add_{n}_name"):
                items.append(
                    {
                        "action": ContactChangeAction.ADD,
                        "name": data[f"add_{n}_name"],
                        "role": data.get(f"add_{n}_role") or ContactRole.OTHER,
                        "phone": data.get(f"add_{n}_phone", ""),
                        "new_share": data.get(f"add_{n}_share"),
                    }
                )
        return items
