"""Forms and list filters for interactions (CUS-08) and visits (CUS-09)."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import User
from crm_project.core.pickers import use_filter_picker, use_picker

from .models import Contact, Interaction, InteractionKind, Visit, VisitStatus
from .services.interactions import follow_ups_due
from .services.visits import overdue_visits

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _text(label, *, required=False, rows=2, max_length=4000) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


class InteractionForm(forms.Form):
    """Log an interaction (CUS-08). The rules (contact of this customer, follow-up not before
    the interaction, …) are the service's; the form only reads the input."""

    kind = forms.ChoiceField(label=_("Channel"), choices=InteractionKind.choices)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    contact = forms.ModelChoiceField(label=_("Contact"), queryset=Contact.objects.none(), required=False)
    summary = _text(_("Summary"), required=True, rows=3)
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    follow_up_date = forms.DateField(label=_("Follow up on"), required=False, **DATE_WIDGET)

    def __init__(self, *args, customer, user, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)
        use_picker(self.fields["contact"], "contacts", user, customer=customer.pk)


class VisitPlanForm(forms.Form):
    planned_date = forms.DateField(label=_("Visit on"), **DATE_WIDGET)
    purpose = forms.CharField(label=_("Purpose"), max_length=500, required=False)


class VisitReportForm(forms.Form):
    """The visit report 拜访报告 (CUS-09): a visit is completed only with it."""

    purpose = _text(_("Purpose of the visit"), required=True)
    people_met = _text(_("People met"))
    findings = _text(_("Findings"), required=True, rows=4)
    needs = _text(_("Needs"))
    next_actions = _text(_("Next actions"))


class VisitCancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the visit cancelled?"), max_length=100)


# --- list filters ------------------------------------------------------------------------------


def _local_midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class _CustomerTextMixin:
    def filter_customer(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(customer__name__icontains=value) | Q(customer__code__icontains=value))


class InteractionFilter(_CustomerTextMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Customer"), method="filter_customer")
    kind = django_filters.ChoiceFilter(label=_("Channel"), choices=InteractionKind.choices)
    occurred_from = django_filters.DateFilter(label=_("From"), method="filter_from", **DATE_WIDGET)
    occurred_to = django_filters.DateFilter(label=_("To"), method="filter_to", **DATE_WIDGET)
    owner = django_filters.ModelChoiceFilter(
        label=_("Customer owner"), field_name="customer__owner", queryset=User.objects.none()
    )
    follow_up_due = django_filters.BooleanFilter(
        label=_("Follow-up due"), method="filter_follow_up_due", widget=forms.CheckboxInput
    )

    class Meta:
        model = Interaction
        fields = ["q", "kind", "occurred_from", "occurred_to", "owner", "follow_up_due"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        use_filter_picker(self, "owner", "users", scope="department_reps")

    def filter_from(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=_local_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(occurred_at__lt=_local_midnight(value + timedelta(days=1)))

    def filter_follow_up_due(self, queryset, name, value):
        return follow_ups_due(queryset, until=timezone.localdate()) if value else queryset


class VisitFilter(_CustomerTextMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Customer"), method="filter_customer")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VisitStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue", widget=forms.CheckboxInput)
    owner = django_filters.ModelChoiceFilter(label=_("Visitor"), queryset=User.objects.none())
    planned_from = django_filters.DateFilter(
        label=_("Planned from"), field_name="planned_date", lookup_expr="gte", **DATE_WIDGET
    )
    planned_to = django_filters.DateFilter(
        label=_("Planned to"), field_name="planned_date", lookup_expr="lte", **DATE_WIDGET
    )

    class Meta:
        model = Visit
        fields = ["q", "status", "overdue", "owner", "planned_from", "planned_to"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        use_filter_picker(self, "owner", "users", scope="department_reps")

    def filter_overdue(self, queryset, name, value):
        return overdue_visits(queryset) if value else queryset
