"""Reminders for supplier steps left waiting (SUP-04, SUP-05, JOB-09): an on-site survey a
department has not signed, an application the head of purchasing has not decided, once
SUPPLIER_REMINDER_WORKING_DAYS working days have passed since the stage began. Each is sent
once (the notification key), however often the job runs."""

from datetime import date

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import Department, User
from crm_project.accounts.roles import Role
from crm_project.notifications.messages import localized_department
from crm_project.notifications.services import notify
from crm_project.workdays.calendar import add_working_days

from ..models import Stage, Supplier, SupplierStep
from ..permissions import survey_department_codes
from .common import supplier_url


def _stage_began(stage: str) -> dict[int, date]:
    """{supplier id: the local day it entered `stage`} for the suppliers now in it."""
    rows = (
        SupplierStep.objects.filter(supplier__stage=stage, to_stage=stage, action="advance")
        .values("supplier_id")
        .annotate(at=Max("at"))
    )
    return {row["supplier_id"]: timezone.localdate(row["at"]) for row in rows}


def _overdue(began: dict[int, date], today: date) -> list[int]:
    days = settings.SUPPLIER_REMINDER_WORKING_DAYS
    return [pk for pk, day in began.items() if add_working_days(day, days) <= today]


def supplier_remind_waiting_steps(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    onsite = Supplier.objects.filter(pk__in=_overdue(_stage_began(Stage.ONSITE_SURVEY), today)).prefetch_related(
        "findings__department"
    )
    departments = list(Department.objects.filter(code__in=survey_department_codes()).select_related("head"))
    for supplier in onsite:
        signed = {finding.department.code for finding in supplier.findings.all()}
        for department in departments:
            head = department.head
            if department.code in signed or head is None or not head.is_active:
                continue
            sent += bool(
                notify(
                    recipient=head,
                    key=f"supplier-onsite-reminder:{supplier.pk}:{department.code}",
                    kind="supplier",
                    title=gettext_lazy("Reminder: %(department)s has not signed the on-site survey of %(supplier)s"),
                    body=gettext_lazy("Record and sign your department's findings and score."),
                    params={"department": localized_department(department), "supplier": supplier.name},
                    url=supplier_url(supplier),
                )
            )
    heads = list(User.objects.filter(groups__name=Role.PURCHASING_HEAD.value, is_active=True))
    waiting = Supplier.objects.filter(pk__in=_overdue(_stage_began(Stage.APPROVAL), today))
    for supplier in waiting:
        for head in heads:
            if head.pk == supplier.application_submitted_by_id:
                continue
            sent += bool(
                notify(
                    recipient=head,
                    key=f"supplier-application-reminder:{supplier.pk}:{head.pk}",
                    kind="supplier",
                    title=gettext_lazy("Reminder: the approval application for %(supplier)s waits for your decision"),
                    params={"supplier": supplier.name},
                    url=supplier_url(supplier),
                )
            )
    return sent
