"""Supplier steps waiting for someone, on "My work" (DSH-02): procurement's files in progress by
stage with the ones waiting longest at their stage, the on-site surveys waiting for my
department's signature (SUP-04) and the approval applications waiting for my decision (SUP-05),
oldest first. Imported from SuppliersConfig.ready()."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.navigation import WorkPanel, panels

from .models import Stage
from .models.suppliers import IN_PROGRESS
from .permissions import is_purchasing_head, on_survey_team
from .selectors_work import applications_waiting_for, in_progress_by_stage, longest_at_their_stage, surveys_waiting_for

SHOWN = 8
LONGEST_SHOWN = 5


def _rows(queryset) -> dict:
    rows = list(queryset[: SHOWN + 1])
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN}


def _list_url(*stages: str) -> str:
    """The supplier list filtered to these stages, the oldest registration first."""
    query = urlencode([("stage", stage) for stage in stages] + [("sort", "registered")])
    return f"{reverse('suppliers:supplier_list')}?{query}"


def pipeline(request) -> dict:
    """SUP-02, DSH-02: how many files stand at each stage from candidate to contracted (one
    aggregate query), and the files waiting longest at their stage (one query)."""
    counts = in_progress_by_stage(request.user)
    stages = [
        {"stage": stage, "label": Stage(stage).label, "count": counts.get(stage, 0), "url": _list_url(stage)}
        for stage in IN_PROGRESS
    ]
    return {
        "stages": stages,
        "total": sum(row["count"] for row in stages),
        "all_url": _list_url(*IN_PROGRESS),
        "longest": list(longest_at_their_stage(request.user)[:LONGEST_SHOWN]),
    }


def _runs_supplier_files(user) -> bool:
    """Procurement and the head of purchasing, who run the files (management has the dashboard)."""
    return user.is_authenticated and user.has_role(Role.PROCUREMENT, Role.PURCHASING_HEAD)


panels.add(
    WorkPanel(
        key="supplier_pipeline",
        title=_("Suppliers in progress by stage"),
        template="suppliers/_panel_pipeline.html",
        context=pipeline,
        order=39,
        visible=_runs_supplier_files,
    )
)
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
