"""The alert at the top of the customer page: the core-data change waiting for the manager
and who must confirm it (CUS-06), and the contact change requests under way with their
current step (CUS-05). A fixed few queries."""

from django.utils.translation import gettext_lazy as _

from ..forms_changes import DecisionForm
from ..models import ChangeStatus, ContactChangeRequest, CoreDataChange, Customer
from ..permissions import can_review_core_change
from ..services.contact_changes import next_step
from ..services.core_changes import reviewers_for

WAITING_FOR = {
    "manager": _("the sales manager"),
    "director": _("the sales director"),
    "clerk": _("the sales clerk, to record it"),
}


def _label(name: str) -> str:
    try:
        return str(Customer._meta.get_field(name).verbose_name)
    except Exception:  # a field that no longer exists
        return name


def core_change_rows(change: CoreDataChange) -> list[tuple[str, str, str]]:
    return [
        (_label(name), str(change.old_values.get(name) or "—"), str(value or "—"))
        for name, value in change.new_values.items()
    ]


def context(customer, user) -> dict:
    change = (
        CoreDataChange.objects.filter(customer=customer, status=ChangeStatus.PENDING)
        .select_related("requested_by")
        .first()
    )
    requests = list(
        ContactChangeRequest.objects.filter(
            customer=customer,
            status__in=[ChangeStatus.PENDING, ChangeStatus.MANAGER_APPROVED, ChangeStatus.APPROVED],
        ).select_related("filed_by")
    )
    for request in requests:
        step = next_step(request)
        request.waiting_for = WAITING_FOR.get(step.name, "") if step else ""
    return {
        "pending_core_change": change,
        "pending_core_rows": core_change_rows(change) if change else [],
        "pending_core_reviewers": list(reviewers_for(customer)) if change else [],
        "can_review_pending_core": bool(change and can_review_core_change(user) and change.requested_by_id != user.pk),
        "core_decision_form": DecisionForm() if change else None,
        "pending_contact_changes": requests,
    }
