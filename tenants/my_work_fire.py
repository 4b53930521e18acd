"""Open rectification letters 整改函 on "My work" (DSH-02, TEN-07): for the fire team, the
nearest deadlines first, the overdue ones marked. Imported from TenantsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from crm_project.core.navigation import WorkPanel, panels

from .access_rules_fire import can_inspect
from .models import Rectification
from .selectors_fire import rectification_visible_to, with_overdue

SHOWN = 8


def _rows(request) -> dict:
    letters = (
        with_overdue(rectification_visible_to(request.user).filter(status=Rectification.Status.OPEN))
        .select_related("tenant", "result")
        .order_by("due_on", "pk")
    )
    rows = list(letters[: SHOWN + 1])
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN}


panels.add(
    WorkPanel(
        key="tenant_rectifications",
        title=_("Open rectification letters"),
        template="tenants/_panel_rectifications.html",
        context=_rows,
        order=46,
        visible=can_inspect,
    )
)
