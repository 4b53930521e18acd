"""/api/v1/ledger-entries/ (EXP-03), read-only: entries are immutable postings; balances
are sums of them. Scoped like all fee data (EXP-13)."""

import django_filters
from rest_framework import viewsets

from crm_project.core.months import MonthFilter

from ..models import EntryKind, LedgerEntry
from ..selectors import ledger_entry_visible_to
from .serializers import LedgerEntrySerializer


class LedgerEntryFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=EntryKind.choices)
    month = MonthFilter(field_name="month")
    rep = django_filters.CharFilter(field_name="rep__username")
    account = django_filters.CharFilter(method="filter_account", help_text="account id or product code")

    class Meta:
        model = LedgerEntry
        fields = ["kind", "month", "rep", "account"]

    def filter_account(self, queryset, name, value):
        if value.isdigit():
            return queryset.filter(account_id=int(value))
        return queryset.filter(account__product__code=value)


class LedgerEntryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LedgerEntrySerializer
    filterset_class = LedgerEntryFilter

    def get_queryset(self):
        return (
            ledger_entry_visible_to(self.request.user)
            .select_related("account__product", "rep", "customer", "posted_by")
            .order_by("-posted_at", "-pk")
        )


def register(router) -> None:
    router.register("ledger-entries", LedgerEntryViewSet, basename="ledger-entry")
