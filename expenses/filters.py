"""Filters of the fee lists. They narrow querysets that already come from the access
selectors (EXP-13), so a filter can never widen what a user sees."""

import django_filters
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import User
from crm_project.core.months import MonthFilter
from crm_project.core.pickers import use_filter_picker

from .models import EntryKind, LedgerAccount, StatementStatus

YES_NO = [("yes", _("yes")), ("no", _("no"))]


class _RepFilterMixin:
    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # The reps whose fee data the user may see, leavers included (a picker, DSH-03).
        use_filter_picker(self, "rep", "users", scope="fee_reps")


class StatementFilter(_RepFilterMixin, django_filters.FilterSet):
    month = MonthFilter(label=_("Month"), field_name="month")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=StatementStatus.choices)
    rep = django_filters.ModelChoiceFilter(label=_("Rep"), queryset=User.objects.none())
    late = django_filters.ChoiceFilter(label=_("Submitted late"), choices=YES_NO, method="filter_late")

    def filter_late(self, queryset, name, value):
        return queryset.filter(late=value == "yes")


class QueueFilter(_RepFilterMixin, django_filters.FilterSet):
    month = MonthFilter(label=_("Month"), field_name="month")
    rep = django_filters.ModelChoiceFilter(label=_("Rep"), queryset=User.objects.none())
    late = django_filters.ChoiceFilter(label=_("Submitted late"), choices=YES_NO, method="filter_late")

    def filter_late(self, queryset, name, value):
        return queryset.filter(late=value == "yes")


class LedgerFilter(_RepFilterMixin, django_filters.FilterSet):
    account = django_filters.ModelChoiceFilter(label=_("Account"), queryset=LedgerAccount.objects.order_by("name"))
    month = MonthFilter(label=_("Fee month"), field_name="month")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EntryKind.choices)
    rep = django_filters.ModelChoiceFilter(label=_("Rep"), queryset=User.objects.none())
