"""The ledger (EXP-03): every posting the user may see (EXP-13), filtered by account, month,
kind and rep, with sums per account and month computed in SQL, and an Excel export."""

from django.urls import path
from django.utils.translation import gettext_lazy

from crm_project.core.listing import FilteredListView

from ..exports.lists import LedgerExport
from ..filters import LedgerFilter
from ..models import EntryKind
from ..selectors_pages import LEDGER_KINDS, ledger_for, ledger_summary


class LedgerView(FilteredListView):
    template_name = "expenses/ledger_list.html"
    filterset_class = LedgerFilter
    export_class = LedgerExport
    sort_options = {
        "posted": (gettext_lazy("Posted"), "posted_at"),
        "month": (gettext_lazy("Fee month"), "month"),
        "amount": (gettext_lazy("Amount"), "amount"),
        "account": (gettext_lazy("Account"), "account__name"),
    }
    default_sort = "-posted"

    def base_queryset(self):
        return ledger_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = dict(EntryKind.choices)
        context["kind_labels"] = [labels[kind] for kind in LEDGER_KINDS]
        context["summary"] = ledger_summary(self.object_list)
        return context


urlpatterns = [path("ledger/", LedgerView.as_view(), name="ledger")]
