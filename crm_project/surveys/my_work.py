"""Survey follow-ups opened for me, on "My work" (SUR-03, DSH-02): the low scores a customer's
owner, or the operations manager for a tenant, still has to follow up. Imported from
SurveysConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from crm_project.core.navigation import WorkPanel, panels

from .selectors import follow_up_visible_to
from .services.rounds import can_see_follow_ups

SHOWN = 8


def _rows(request) -> dict:
    open_follow_ups = (
        follow_up_visible_to(request.user)
        .filter(owner=request.user, done_at__isnull=True)
        .select_related("customer", "tenant", "answer__question")
        .order_by("created_at", "pk")
    )
    rows = list(open_follow_ups[: SHOWN + 1])
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN}


panels.add(
    WorkPanel(
        key="survey_follow_ups",
        title=_("Survey follow-ups for me"),
        template="surveys/_panel_follow_ups.html",
        context=_rows,
        order=70,
        visible=can_see_follow_ups,
    )
)
