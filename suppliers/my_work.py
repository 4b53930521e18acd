"""Supplier steps waiting for someone, on "My work" (DSH-02): the on-site surveys waiting for
my department's signature (SUP-04) and the approval applications waiting for my decision
(SUP-05), oldest first. Imported from SuppliersConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from crm_project.core.navigation import WorkPanel, panels

from .permissions import is_purchasing_head, on_survey_team
from .selectors_work import applications_waiting_for, surveys_waiting_for

SHOWN = 8


def _rows(queryset) -> dict:
    rows = list(queryset[: SHOWN + 1])
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN}


panels.add(
    WorkPanel(
        key="supplier_surveys",
        title=_("On-site surveys waiting for my department"),
        template="suppliers/_panel_surveys.html",
        context=lambda request: _rows(surveys_waiting_for(request.user)),
        order=40,
        visible=on_survey_team,
    )
)
panels.add(
    WorkPanel(
        key="supplier_applications",
        title=_("Supplier applications waiting for my approval"),
        template="suppliers/_panel_applications.html",
        context=lambda request: _rows(applications_waiting_for(request.user)),
        order=41,
        visible=is_purchasing_head,
    )
)
