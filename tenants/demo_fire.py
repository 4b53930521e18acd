"""Demo fire-safety inspection (TEN-07): this month's notice to every tenant, results for the
first two floors — most units pass, two fail and have open rectification letters 整改函.
Inspected by ops1 (operations) and safety1, a safety-department specialist made here when the
accounts demo has none. Idempotent: nothing is added once the month has results."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from crm_project.accounts.demo import DEMO_PASSWORD
from crm_project.accounts.models import Department, User
from crm_project.accounts.roles import Role

from .models import FireInspection, InspectionResult, Tenant
from .services.fire import check_item_codes, issue_monthly_notice, month_start, record_result

FAILURES = {
    3: (["extinguishers", "exits_clear"], "后厨灭火器已过期（2025年5月）；后门安全出口堆放纸箱，需立即清理。"),
    7: (["wiring", "no_smoking_materials"], "收银台下方插线板串接使用，超负荷；仓库发现烟头。"),
}


def _safety_inspector() -> User | None:
    safety = Department.objects.filter(code="safety").first()
    if safety is None:
        return None
    person = User.objects.filter(username="safety1").first()
    if person is None:
        person = User(username="safety1", last_name="安", first_name="检", email="safety1@example.com")
        person.department = safety
        person.set_password(DEMO_PASSWORD)
        person.save()
        person.groups.set(Group.objects.filter(name=Role.SPECIALIST.value))
    if safety.head_id is None:
        safety.head = person
        safety.save(update_fields=["head"])
    return person


@transaction.atomic
def seed(stdout=None) -> None:
    desk = User.objects.filter(username="ops1").first()
    if desk is None or not Tenant.objects.exists():
        return
    inspector = _safety_inspector() or desk
    month = month_start(timezone.localdate())
    issue_monthly_notice(month=month, actor=desk)
    inspection = FireInspection.objects.get(month=month)
    if not InspectionResult.objects.filter(inspection=inspection).exists():
        tenants = list(Tenant.objects.filter(moved_out_at__isnull=True).order_by("floor", "unit")[:20])
        for index, tenant in enumerate(tenants):
            actor = inspector if index % 2 else desk
            if index in FAILURES:
                items, findings = FAILURES[index]
                record_result(
                    actor=actor, inspection=inspection, tenant=tenant, items=items, passed=False, findings=findings
                )
            elif index < 16:
                record_result(actor=actor, inspection=inspection, tenant=tenant, items=check_item_codes(), passed=True)
    if stdout:
        stdout.write(
            f"  fire-safety inspection {month:%Y-%m}: {inspection.notices.count()} notices, "
            f"{inspection.results.count()} results, {inspection.results.filter(rectification__status='open').count()} "
            "open rectification letters"
        )
