"""Tenant meeting suggestions not answered yet, on "My work" (TEN-05, DSH-02): the target is
every suggestion answered, so the desk sees those still waiting, oldest first. Imported from
TenantsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.navigation import WorkPanel, panels

from .selectors_meetings import unanswered_suggestions

SHOWN = 8


def _rows(request) -> dict:
    rows = list(unanswered_suggestions(request.user)[: SHOWN + 1])
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN}


def _runs_meetings(user) -> bool:
    return user.is_authenticated and user.has_role(Role.OPERATIONS)


panels.add(
    WorkPanel(
        key="meeting_suggestions",
        title=_("Meeting suggestions not yet answered"),
        template="tenants/_panel_meeting_suggestions.html",
        context=_rows,
        order=47,
        visible=_runs_meetings,
    )
)
