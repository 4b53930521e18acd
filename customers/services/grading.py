"""Customer grades A–D (CUS-03)."""

from django.db import transaction

from crm_project.accounts.models import User

from ..models import Customer, GradeChange

GRADE_FIELD = "grade"


def grade_apply(
    *, customer: Customer, grade: str, reason: str, actor: User, proposed: str = "", score=None
) -> GradeChange | None:
    """Set the grade and keep who/when/from/to/why (CUS-03). No change, no record."""
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if customer.grade == grade:
            return None
        change = GradeChange.objects.create(
            customer=customer,
            from_grade=customer.grade,
            to_grade=grade,
            proposed_grade=proposed,
            score=score,
            reason=reason,
            changed_by=actor,
        )
        customer.grade = grade
        customer.save(update_fields=["grade", "updated_at"])
    return change
