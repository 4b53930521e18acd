"""The grade tab (CUS-03): current grade, the system's proposal and how it came about, the
set-grade form, and every grade change with who/when/from/to/why. A fixed few queries."""

from datetime import timedelta

from django.utils import timezone

from ..forms_changes import GradeForm
from ..models import CustomerSettings, GradeChange
from ..permissions import can_edit_customer, can_set_grade, edits_need_review
from ..services.grading import grade_proposals, grading_window


def context(customer, user) -> dict:
    # Read, never create, the settings here: the page costs the same on its first view.
    settings_row = CustomerSettings.objects.filter(pk=1).first() or CustomerSettings()
    proposal = grade_proposals(customers=[customer], settings_row=settings_row)[customer.pk]
    start, end = grading_window(timezone.localdate())
    may_set = can_set_grade(user) and can_edit_customer(user, customer)
    return {
        "grade_proposal": proposal,
        "grade_settings": settings_row,
        "grade_window": (start, (end - timedelta(days=1)).replace(day=1)),
        "grade_changes": list(GradeChange.objects.filter(customer=customer).select_related("changed_by")[:100]),
        "can_set_grade": may_set,
        "grade_needs_review": may_set and edits_need_review(user),
        "grade_form": GradeForm(initial={"grade": proposal.grade}) if may_set else None,
    }
