"""The monthly fire-safety inspection 消防安全检查 and rectification letters 整改函 (TEN-07,
JOB-08, JOB-09).

- `issue_monthly_notice(month=…)`: the month's inspection and one notice per current tenant,
  e-mailed to its main contact when it has an address. Idempotent: the unique (inspection,
  tenant) pair decides, so a second run, or two at once, adds nothing and e-mails no one twice.
- `record_result(…)`: a unit's result. A failed unit gets one rectification letter with the
  findings and a deadline TENANT_RECTIFICATION_WORKING_DAYS working days after the check. A
  tenant's result is recorded once per inspection; any later check is a re-inspection of its
  open letter (`reinspect`).
- `reinspect(…)`: a passing re-check closes the letter with who and when; a failing one keeps
  it open with the new findings.
- `rectifications_escalate_overdue()`: an open letter past its deadline is escalated once to the
  safety department's head and the operations manager.
"""

import logging
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import Department
from crm_project.accounts.roles import Role
from crm_project.accounts.selectors import active_users_with_role
from crm_project.core.errors import DomainError
from crm_project.core.files import display_name
from crm_project.core.uploads import check_image
from crm_project.notifications.services import notify
from crm_project.workdays.calendar import add_working_days

from ..access_rules_fire import can_inspect
from ..models import (
    FireInspection,
    FireInspectionNotice,
    FireInspectionPhoto,
    InspectionResult,
    Rectification,
    Tenant,
    TenantContact,
)
from ..selectors import operations_manager
from .common import require, save

log = logging.getLogger(__name__)

FINDINGS_MAX = 2000
PHOTOS_MAX = 10
Status = Rectification.Status


# --- the checklist (a setting) ------------------------------------------------------------------


def check_items() -> list[dict]:
    return list(settings.TENANT_FIRE_CHECK_ITEMS)


def check_item_codes() -> list[str]:
    return [item["code"] for item in check_items()]


def check_item_label(code: str) -> str:
    """The item's label in the current language (Chinese for zh*, else English)."""
    for item in check_items():
        if item["code"] == code:
            chinese = (translation.get_language() or "").startswith("zh")
            return item["zh"] if chinese else item["en"]
    return code


def check_item_choices() -> list[tuple[str, str]]:
    return [(code, check_item_label(code)) for code in check_item_codes()]


def month_start(day: date) -> date:
    return day.replace(day=1)


# --- the monthly notice (JOB-08) ------------------------------------------------------------------


def current_tenants():
    return Tenant.objects.filter(moved_out_at__isnull=True)


def _main_emails(tenant_ids: list[int]) -> dict[int, str]:
    """Each tenant's main contact's e-mail (the primary contact, else the first), if any."""
    emails: dict[int, str] = {}
    contacts = TenantContact.objects.filter(tenant_id__in=tenant_ids).order_by("tenant_id", "-is_primary", "pk")
    for tenant_id, email in contacts.values_list("tenant_id", "email"):
        emails.setdefault(tenant_id, email or "")
    return emails


def issue_monthly_notice(*, month: date, actor=None) -> int:
    """The month's inspection and its notice to every current tenant not yet noticed; returns
    how many notices this call issued. `actor` is None when the job runs it."""
    if actor is not None:
        require(can_inspect(actor), _("Only operations and the safety department issue the inspection notice."))
    month = month_start(month)
    now = timezone.now()
    with transaction.atomic():
        inspection, _created = FireInspection.objects.get_or_create(month=month)
        inspection = FireInspection.objects.select_for_update().get(pk=inspection.pk)
        noticed = set(inspection.notices.values_list("tenant_id", flat=True))
        tenant_ids = [pk for pk in current_tenants().order_by("pk").values_list("pk", flat=True) if pk not in noticed]
        emails = _main_emails(tenant_ids)
        FireInspectionNotice.objects.bulk_create(
            [
                FireInspectionNotice(inspection=inspection, tenant_id=pk, issued_at=now, emailed_to=emails.get(pk, ""))
                for pk in tenant_ids
            ],
            ignore_conflicts=True,
        )
        if inspection.notice_issued_at is None:
            inspection.notice_issued_at = now
            save(inspection, actor, ["notice_issued_at"], "Notice issued")
        transaction.on_commit(lambda: _email_quietly(inspection.pk))
    return len(tenant_ids)


def _email_quietly(inspection_id: int) -> None:
    try:
        fire_notices_email(inspection_id=inspection_id)
    except Exception:  # the daily job sends what is left (JOB-09)
        log.warning("fire-safety notices of inspection %s not all e-mailed", inspection_id, exc_info=True)


def _notice_mail(notice: FireInspectionNotice) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        month = f"{notice.inspection.month:%Y-%m}"
        subject = _("Fire-safety inspection notice %(month)s") % {"month": month}
        items = "\n".join(f"- {label}" for _code, label in check_item_choices())
        body = _(
            "Dear %(shop)s (unit %(unit)s),\n\nThe shopping centre's monthly fire-safety inspection for "
            "%(month)s comes to your unit this month. Please make sure of the following:\n%(items)s\n\n"
            "A unit that fails receives a rectification letter with a deadline.\n\nOperations department"
        ) % {"shop": notice.tenant.shop_name, "unit": notice.tenant.unit, "month": month, "items": items}
    return subject, body


def fire_notices_email(*, inspection_id: int | None = None) -> int:
    """E-mail every notice with an address that has not been e-mailed. Each is claimed with a
    conditional UPDATE first, so two runners never e-mail the same tenant twice; a failed
    e-mail releases its claim for the next run."""
    pending = FireInspectionNotice.objects.filter(emailed_at__isnull=True).exclude(emailed_to="")
    if inspection_id is not None:
        pending = pending.filter(inspection_id=inspection_id)
    sent = 0
    for notice in pending.select_related("inspection", "tenant").order_by("pk"):
        claimed_at = timezone.now()
        if not FireInspectionNotice.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(emailed_at=claimed_at):
            continue
        subject, body = _notice_mail(notice)
        try:
            send_mail(
                subject=subject,
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[notice.emailed_to],
            )
        except Exception:
            FireInspectionNotice.objects.filter(pk=notice.pk, emailed_at=claimed_at).update(emailed_at=None)
            raise
        sent += 1
    return sent


# --- results and rectification letters (TEN-07) -----------------------------------------------------


def _findings(value: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("Write down what failed: the findings go into the rectification letter."), field="findings")
    if len(value) > FINDINGS_MAX:
        raise DomainError(
            _("The findings are too long: at most %(limit)s characters.") % {"limit": FINDINGS_MAX}, field="findings"
        )
    return value


def _items(items, *, passed: bool, first: bool) -> list[str]:
    codes = check_item_codes()
    items = list(dict.fromkeys(items or []))
    unknown = [item for item in items if item not in codes]
    if unknown:
        raise DomainError(_("Unknown check item: %(items)s.") % {"items": ", ".join(map(str, unknown))}, field="items")
    if first and not items:
        raise DomainError(_("Tick the items you checked."), field="items")
    if first and passed and len(items) < len(codes):
        raise DomainError(
            _("A unit passes only when every item is checked; otherwise record it as failed."), field="items"
        )
    return [code for code in codes if code in items]


def _checked_photos(photos) -> list[tuple[object, object]]:
    photos = [photo for photo in (photos or []) if photo]
    if len(photos) > PHOTOS_MAX:
        raise DomainError(_("At most %(count)s photos per unit.") % {"count": PHOTOS_MAX}, field="photos")
    checked = []
    for photo in photos:
        try:
            checked.append((photo, check_image(photo, max_mb=settings.TENANT_FIRE_PHOTO_MAX_MB)))
        except DomainError as error:
            raise DomainError(f"{display_name(photo.name)}: {error.message}", field="photos") from None
    return checked


def _save_photos(result: InspectionResult, checked, actor) -> None:
    for photo, kind in checked:
        record = FireInspectionPhoto(
            result=result,
            original_name=display_name(photo.name, fallback=f"photo.{kind.extension}"),
            content_type=kind.content_type,
            size=photo.size,
            uploaded_by=actor,
        )
        photo.seek(0)
        record.file.save(f"photo.{kind.extension}", photo, save=False)
        record.save()


def rectification_due_on(checked_on: date) -> date:
    return add_working_days(checked_on, settings.TENANT_RECTIFICATION_WORKING_DAYS)


def record_result(
    *,
    actor,
    inspection: FireInspection,
    tenant: Tenant,
    items,
    passed: bool,
    findings: str = "",
    photos=(),
    reinspects: Rectification | None = None,
) -> InspectionResult:
    """One unit's result (TEN-07). Refused: a second first result for the tenant in the same
    inspection, a re-inspection of a letter that is not open or is another tenant's."""
    require(can_inspect(actor), _("Only operations and the safety department record inspection results."))
    first = reinspects is None
    passed = bool(passed)
    findings = _findings(findings, required=not passed)
    items = _items(items, passed=passed, first=first)
    checked = _checked_photos(photos)
    now = timezone.now()
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        inspection = FireInspection.objects.get(pk=inspection.pk)
        if first:
            if tenant.moved_out_at is not None:
                raise DomainError(_("This tenant has moved out."), field="tenant")
            if inspection.month > month_start(timezone.localdate()):
                raise DomainError(_("This month's inspection has not started yet."))
            earlier = InspectionResult.objects.filter(inspection=inspection, tenant=tenant, reinspects__isnull=True)
            if earlier.exists():
                raise DomainError(
                    _(
                        "The result of unit %(unit)s is already recorded for %(month)s; a later check is a "
                        "re-inspection of its rectification letter."
                    )
                    % {"unit": tenant.unit, "month": f"{inspection.month:%Y-%m}"}
                )
        else:
            reinspects = Rectification.objects.select_for_update().select_related("result").get(pk=reinspects.pk)
            if reinspects.status != Status.OPEN:
                raise DomainError(_("This rectification letter is already closed."))
            if reinspects.tenant_id != tenant.pk or reinspects.result.inspection_id != inspection.pk:
                raise DomainError(_("This re-inspection does not belong to that letter."))
        result = InspectionResult(
            inspection=inspection,
            tenant=tenant,
            unit=tenant.unit,
            items_checked=items,
            passed=passed,
            findings=findings,
            inspector=actor,
            checked_at=now,
            reinspects=reinspects,
        )
        result._history_user = actor
        try:
            with transaction.atomic():
                result.save()
        except IntegrityError:
            raise DomainError(_("The result of this unit was just recorded by someone else.")) from None
        _save_photos(result, checked, actor)
        inspection.inspectors.add(actor)
        if first and not passed:
            letter = Rectification(
                result=result,
                tenant=tenant,
                findings=findings,
                due_on=rectification_due_on(timezone.localdate(now)),
                issued_at=now,
            )
            letter._history_user = actor
            letter.save()
    return result


def reinspect(*, actor, rectification: Rectification, passed: bool, findings: str = "", items=(), photos=()):
    """A re-check of an open letter: passing closes it (who, when); failing keeps it open with
    the new findings. Returns the letter as it is now."""
    require(can_inspect(actor), _("Only operations and the safety department re-inspect."))
    with transaction.atomic():
        letter = (
            Rectification.objects.select_for_update()
            .select_related("result__inspection", "tenant")
            .get(pk=rectification.pk)
        )
        if letter.status != Status.OPEN:
            raise DomainError(_("This rectification letter is already closed."))
        result = record_result(
            actor=actor,
            inspection=letter.result.inspection,
            tenant=letter.tenant,
            items=items,
            passed=passed,
            findings=findings,
            photos=photos,
            reinspects=letter,
        )
        if result.passed:
            letter.status, letter.rectified_at, letter.rectified_by = Status.RECTIFIED, result.checked_at, actor
            save(letter, actor, ["status", "rectified_at", "rectified_by"], "Re-inspected: rectified")
        else:
            letter.findings = result.findings
            save(letter, actor, ["findings"], "Re-inspected: still open")
    return letter


# --- escalation of overdue letters ----------------------------------------------------------------


def overdue_rectifications(today: date):
    return Rectification.objects.filter(status=Status.OPEN, due_on__lt=today)


def safety_head():
    department = Department.objects.filter(code=settings.TENANT_SAFETY_DEPARTMENT).select_related("head").first()
    head = department.head if department else None
    return head if head is not None and head.is_active else None


def rectification_url(letter: Rectification) -> str:
    return reverse("tenants:fire_rectification_detail", args=[letter.pk])


OVERDUE_TITLE = gettext_lazy("Rectification letter overdue: %(unit)s %(shop)s (due %(due)s)")
OVERDUE_BODY = gettext_lazy("Findings of the fire-safety inspection %(month)s: %(findings)s")


def rectifications_escalate_overdue(*, today: date | None = None) -> int:
    """Each open letter past its deadline, once (the escalated_at claim and the notify key)."""
    today = today or timezone.localdate()
    people = [person for person in (safety_head(), operations_manager()) if person is not None]
    people = list({person.pk: person for person in people}.values()) or list(active_users_with_role(Role.MANAGEMENT))
    due = overdue_rectifications(today).filter(escalated_at__isnull=True).select_related("tenant", "result__inspection")
    count = 0
    for letter in list(due.order_by("pk")):
        with transaction.atomic():
            if not Rectification.objects.filter(pk=letter.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            ):
                continue  # another run escalated it first
            for person in people:
                notify(
                    recipient=person,
                    key=f"tenant-rectification-overdue:{letter.pk}:{person.pk}",
                    kind="tenant-escalation",
                    title=OVERDUE_TITLE,
                    body=OVERDUE_BODY,
                    params={
                        "unit": letter.result.unit,
                        "shop": letter.tenant.shop_name,
                        "due": letter.due_on,
                        "month": f"{letter.result.inspection.month:%Y-%m}",
                        "findings": letter.findings[:300],
                    },
                    url=rectification_url(letter),
                )
        count += 1
    return count
