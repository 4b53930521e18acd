"""The rapport fees on the dashboard (DSH-01), imported from ExpensesConfig.ready():

- `fees` (fees.py): the payable rapport fees of the statements handed in for the period's
  months, by month, product and rep, against the rapport-fee budget in force;
- `statement_review` (review.py): the statements filed in the period by review stage, and how
  many are late against the 3rd and the 8th working day (EXP-06, EXP-07).

Every figure is counted over the statements, lines and budget lines the viewer may see (EXP-13,
ORG-02, through the access registry): a rep their own, the sales clerk, manager and director
their department's, finance every department's; management reads the rapport-fee budget lines,
and statements only where a confidentiality exception grants them. Each block is a fixed
handful of grouped queries whatever the number of statements, lines and reps.
"""

from django.utils.translation import gettext_lazy as _

from crm_project.dashboard.blocks import DashboardBlock, blocks

from .common import fee_viewers, review_viewers
from .fees import fee_figures, fee_present
from .review import review_figures, review_present

blocks.add(DashboardBlock("fees", _("Rapport fees against the budget"), fee_figures, fee_present, fee_viewers, 30))
blocks.add(
    DashboardBlock(
        "statement_review", _("Statement review progress"), review_figures, review_present, review_viewers, 31
    )
)
