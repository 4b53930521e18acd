"""What waits for whom (SUP-04, SUP-05): "My work", its reminders and the list filters."""

from django.db.models import Exists, OuterRef, QuerySet

from .models import Stage, Supplier, SurveyFinding
from .permissions import is_purchasing_head, survey_department_of
from .selectors import supplier_visible_to


def surveys_waiting_for(user) -> QuerySet[Supplier]:
    """Suppliers at the on-site survey that the user's department has not signed yet."""
    code = survey_department_of(user)
    if code is None:
        return Supplier.objects.none()
    signed = SurveyFinding.objects.filter(supplier=OuterRef("pk"), department__code=code)
    return (
        supplier_visible_to(user)
        .filter(stage=Stage.ONSITE_SURVEY)
        .exclude(Exists(signed))
        .order_by("registered_at", "pk")
    )


def applications_waiting_for(user) -> QuerySet[Supplier]:
    """Applications at the approval stage that the user, the head of purchasing, did not submit
    themselves."""
    if not is_purchasing_head(user):
        return Supplier.objects.none()
    return (
        supplier_visible_to(user)
        .filter(stage=Stage.APPROVAL)
        .exclude(application_submitted_by=user)
        .select_related("application_submitted_by")
        .order_by("application_submitted_at", "pk")
    )
