"""Demo tenant visits and bulk notices (TEN-08): this year's visit plan, most of it visited
earlier in the year (so the visit rate and the overdue visits show), the rest planned on the
remaining working days, and a typhoon reminder e-mailed to the shops. Idempotent."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from crm_project.accounts.models import User
from crm_project.workdays.calendar import local_zone, working_days_between

from .models import BulkNotice, BulkNoticeDelivery, Tenant, TenantVisit
from .selectors_visits import visitors
from .services.bulk import bulk_notice_send
from .services.visits import tenant_visit_report, visit_plan_generate

VISITED_EARLIER = 20  # of the thirty demo shops
OVERDUE = 4
WITH_EMAIL = 24
REPORTS = [
    ("店长反馈近期客流平稳，对商场夜间照明改造表示满意。", "satisfied"),
    ("店铺反映后仓排风不畅，已登记为报修诉求。", "issues"),
    ("店长外出，与店员沟通并留下联系卡，约定下次再访。", "not_met"),
    ("沟通国庆促销安排，租户希望增加中庭展位。", "issues"),
    ("经营正常，无其他诉求。", "satisfied"),
]


def _earlier_visits(desk: User, tenants: list[Tenant], today: date) -> None:
    days = working_days_between(date(today.year, 1, 1), today.replace(day=1))
    staff = list(visitors())
    if not days or not staff:
        return
    count = VISITED_EARLIER + OVERDUE
    for index, tenant in enumerate(tenants[:count]):
        planned_on = days[index * len(days) // count]
        visit = TenantVisit(tenant=tenant, planned_on=planned_on, visitor=staff[index % len(staff)])
        visit._history_user = desk
        visit.save()
        if index < VISITED_EARLIER:
            report, outcome = REPORTS[index % len(REPORTS)]
            done_at = datetime.combine(planned_on, time(10, 30), tzinfo=local_zone())
            tenant_visit_report(actor=visit.visitor, visit=visit, report=report, outcome=outcome, done_at=done_at)


def _contact_emails(desk: User, tenants: list[Tenant]) -> None:
    """The demo shops' main contacts get an address, all but a few, so a notice shows both."""
    for index, tenant in enumerate(tenants[:WITH_EMAIL]):
        contact = tenant.contacts.filter(is_primary=True).first()
        if contact is not None and not contact.email:
            contact.email = f"shop{index + 1:02d}@tenants.example"
            contact._history_user = desk
            contact.save(update_fields=["email"])


@transaction.atomic
def seed(stdout=None) -> None:
    desk = User.objects.filter(username="ops1").first()
    if desk is None:
        return
    today = timezone.localdate()
    tenants = list(Tenant.objects.filter(moved_out_at__isnull=True).order_by("floor", "unit"))
    if not tenants:
        return
    if not TenantVisit.objects.filter(planned_on__year=today.year).exists():
        _earlier_visits(desk, tenants, today)
    planned = visit_plan_generate(actor=desk)
    if not BulkNotice.objects.exists():
        _contact_emails(desk, tenants)
        notice = bulk_notice_send(
            actor=desk,
            kind="typhoon",
            title="台风防御提醒",
            message=(
                "气象台已发布台风黄色预警，预计今晚至明天风雨较大。请各租户：\n"
                "1. 收回门口外摆物品和广告牌；\n2. 检查门窗、卷帘门是否关闭牢固；\n"
                "3. 闭店前关闭非必要电源。\n如有险情请拨打商场24小时服务热线。"
            ),
        )
        # No e-mail goes out from the demo: the deliveries the job would make are marked done.
        BulkNoticeDelivery.objects.filter(notice=notice, delivered_at__isnull=True, failed_reason="").update(
            delivered_at=timezone.now()
        )
    if stdout:
        stdout.write(
            f"  {TenantVisit.objects.filter(planned_on__year=today.year).count()} tenant visits this year "
            f"({planned} planned now), {BulkNotice.objects.count()} bulk notices"
        )
