"""What waits for whom (SUP-04, SUP-05): "My work", its reminders and the list filters."""

from django.db.models import Count, DateTimeField, Exists, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Stage, Supplier, SupplierStep, SurveyFinding
from .models.suppliers import IN_PROGRESS
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


def stage_since() -> Coalesce:
    """When the file entered its current stage: its last step into that stage (SUP-02), or its
    registration for a file without one."""
    entered = (
        SupplierStep.objects.filter(supplier=OuterRef("pk"), to_stage=OuterRef("stage"))
        .order_by()
        .values("supplier")
        .annotate(at=Max("at"))
        .values("at")
    )
    return Coalesce(Subquery(entered, output_field=DateTimeField()), F("registered_at"))


def in_progress_by_stage(user) -> dict[str, int]:
    """{stage: number of files} for the files between candidate and contracted that the user
    sees (DSH-02); one aggregate query."""
    rows = (
        supplier_visible_to(user).filter(stage__in=IN_PROGRESS).order_by().values("stage").annotate(count=Count("pk"))
    )
    return {row["stage"]: row["count"] for row in rows}


def longest_at_their_stage(user) -> QuerySet[Supplier]:
    """The files in progress, the one waiting longest at its stage first (DSH-02)."""
    return (
        supplier_visible_to(user)
        .filter(stage__in=IN_PROGRESS)
        .annotate(stage_since=stage_since())
        .order_by("stage_since", "pk")
    )
