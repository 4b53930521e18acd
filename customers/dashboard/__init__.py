"""The customers app on the dashboard (DSH-01): customers by grade and by lifecycle status, churn,
and visit completion. Imported from CustomersConfig.ready().

Every figure is counted over the customers and visits the viewer may see (ORG-02) — a rep their
own, a sales clerk, manager or director their department's, management everything or the chosen
department (by the owner) — in one to four aggregate queries per block whatever the number of
rows: one pass over the scope's customers (grades, statuses, the churn's book), the partial index
of the churned (`customer_churned_idx`), the visits' (planned date, visitor, status, customer)
index joined to the department's customers by `customer_owner_pk_idx` (migration 0009).
"""

from django.utils.translation import gettext_lazy as _

from crm_project.dashboard.blocks import DashboardBlock, blocks

from .churn import churn_figures, churn_present
from .common import sales_and_management
from .grades import grade_figures, grade_present, status_figures, status_present
from .visits import visit_figures, visit_present

for block in (
    DashboardBlock(
        "customers_by_grade", _("Customers by grade"), grade_figures, grade_present, sales_and_management, 10
    ),
    DashboardBlock(
        "customers_by_status",
        _("Customers by lifecycle status"),
        status_figures,
        status_present,
        sales_and_management,
        11,
    ),
    DashboardBlock("churn", _("Churn"), churn_figures, churn_present, sales_and_management, 12),
    DashboardBlock("visit_completion", _("Visit completion"), visit_figures, visit_present, sales_and_management, 13),
):
    blocks.add(block)
