"""Each feature module under views/ declares its own `urlpatterns`, next to its views."""

from .views import (
    advances,
    applications,
    budget_report,
    budgets,
    claims,
    controls,
    finance,
    home,
    ledger,
    queues,
    signoff,
    special_fees,
    standards,
    statements,
)

app_name = "expenses"

urlpatterns = [
    *home.urlpatterns,
    *statements.urlpatterns,
    *standards.urlpatterns,
    *ledger.urlpatterns,
    *special_fees.urlpatterns,
    *advances.urlpatterns,
    *signoff.urlpatterns,
    *finance.urlpatterns,
    *controls.urlpatterns,
    *queues.urlpatterns,
    *budget_report.urlpatterns,
    *budgets.urlpatterns,
    *applications.urlpatterns,
    *claims.urlpatterns,
]
