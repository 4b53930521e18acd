"""Service-standard breaches escalate to the department head (CMP-04, JOB-06), once per
complaint, target and round (JOB-09): the Escalation row's unique constraint decides, so two
workers running at the same moment cannot both escalate the same breach."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.accounts.selectors import active_users_with_role
from crm_project.notifications.services import notify

from ..models import Complaint, ComplaintStatus, Escalation
from ..selectors import escalated, response_breached, solution_breached

TARGET_TITLES = {
    Escalation.Target.RESPONSE: gettext_lazy("Complaint %(reference)s: first response overdue"),
    Escalation.Target.SOLUTION: gettext_lazy("Complaint %(reference)s: solution overdue"),
}


def _fallback_recipients() -> list[User]:
    """Without a department head, general management hears of the breach."""
    return list(active_users_with_role(Role.MANAGEMENT))


def _escalate(complaint: Complaint, target: str, recipients: list[User]) -> bool:
    due = complaint.response_due_at if target == Escalation.Target.RESPONSE else complaint.solution_due_at
    base_key = f"complaint-escalation:{complaint.pk}:{target}:{complaint.reopen_count}"
    try:
        with transaction.atomic():
            Escalation.objects.create(
                complaint=complaint,
                target=target,
                round=complaint.reopen_count,
                escalated_to=recipients[0] if recipients else None,
            )
            for index, recipient in enumerate(recipients):
                notify(
                    recipient=recipient,
                    key=base_key if index == 0 else f"{base_key}:{recipient.pk}",
                    kind="complaint-escalation",
                    title=TARGET_TITLES[target],
                    body=gettext_lazy("Due %(due)s. %(company)s: %(text)s"),
                    params={
                        "reference": complaint.reference,
                        "due": due,
                        "company": complaint.complainant_company or complaint.complainant_name,
                        "text": complaint.text[:200],
                    },
                    url=reverse("complaints:complaint_detail", args=[complaint.pk]),
                )
    except IntegrityError:
        return False  # another run escalated it first
    return True


def complaint_escalate_breaches(*, now: datetime | None = None) -> int:
    """Escalate every breach not yet escalated in the complaint's current round; returns how
    many were escalated by this call."""
    now = now or timezone.now()
    fallback: list[User] | None = None
    count = 0
    open_complaints = Complaint.objects.exclude(status=ComplaintStatus.CLOSED).select_related("department__head")
    for target, breached in (
        (Escalation.Target.RESPONSE, response_breached(now)),
        (Escalation.Target.SOLUTION, solution_breached(now)),
    ):
        for complaint in list(open_complaints.filter(breached).filter(~escalated(target)).order_by("pk")):
            head = complaint.department.head if complaint.department_id else None
            if head is not None and head.is_active:
                recipients = [head]
            else:
                if fallback is None:
                    fallback = _fallback_recipients()
                recipients = fallback
            count += _escalate(complaint, target, recipients)
    return count
