"""Each feature module under views/ declares its own `urlpatterns`, next to its views."""

from .views import advances, controls, finance, home, ledger, queues, signoff, special_fees, standards, statements
from .views import applications as expense_applications
from .views import claims as expense_claims

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
    *expense_applications.urlpatterns,
    *expense_claims.urlpatterns,
]
