"""Filters of the fee lists. They narrow querysets that already come from the access
selectors (EXP-13), so a filter can never widen what a user sees."""

import django_filters
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.months import MonthFilter

from .models import EntryKind, LedgerAccount, StatementStatus

YES_NO = [("yes", _("yes")), ("no", _("no"))]


def reps_for(user):
    """The reps whose fee data the user may see: all for finance, the department's for
    the sales clerk, manager and director, only themselves for a rep."""
    reps = User.objects.filter(groups__name=Role.SALES_REP)
    if user.is_superuser or user.has_role(Role.FINANCE):
        pass
    elif user.has_role(Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR) and user.department_id:
        reps = reps.filter(department_id=user.department_id)
    else:
        reps = reps.filter(pk=user.pk)
    return reps.distinct().order_by("username")


class _RepFilterMixin:
    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if self.request is not None:
            self.filters["rep"].queryset = reps_for(self.request.user)


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
