"""The visits tab (CUS-09): planned visits (overdue ones highlighted), the recent visit
reports, and the forms to plan a visit and log an interaction (CUS-08). A fixed few queries."""

from django.utils import timezone

from ..forms_activity import InteractionForm, VisitPlanForm
from ..models import Visit, VisitStatus
from ..services.interactions import can_log_interaction
from ..services.visits import can_plan_visit

PLANNED_SHOWN = 20
COMPLETED_SHOWN = 10


def context(customer, user) -> dict:
    today = timezone.localdate()
    visits = Visit.objects.filter(customer=customer).select_related("owner")
    planned = list(visits.filter(status=VisitStatus.PLANNED).order_by("planned_date", "pk")[: PLANNED_SHOWN + 1])
    for visit in planned:
        visit.is_overdue = visit.planned_date < today
    completed = list(visits.filter(status=VisitStatus.COMPLETED).order_by("-completed_at", "-pk")[:COMPLETED_SHOWN])
    may_log = can_log_interaction(user, customer)
    may_plan = can_plan_visit(user, customer)
    return {
        "planned_visits": planned[:PLANNED_SHOWN],
        "more_planned_visits": len(planned) > PLANNED_SHOWN,
        "completed_visits": completed,
        "overdue_visit_count": sum(1 for visit in planned if visit.is_overdue),
        "can_plan_visit": may_plan,
        "visit_plan_form": VisitPlanForm(initial={"planned_date": today}) if may_plan else None,
        "interaction_form": InteractionForm(customer=customer, user=user, auto_id="id_interaction_%s")
        if may_log
        else None,
        "can_log_interaction": may_log,
    }
