"""Demo tenant meetings (TEN-05) and fee schedule (TEN-10): last quarter's meeting with its
minutes, attendance and two suggestions logged as requests (one answered), an event meeting,
and the fee schedule with one item no longer valid. Made by ops1; idempotent (nothing is made
again once a meeting or a fee item exists)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from crm_project.accounts.models import User

from .models import FeeScheduleItem, Tenant, TenantMeeting
from .services.fees import fee_item_create
from .services.meetings import meeting_add_suggestion, meeting_create
from .services.requests import request_respond

MINUTES = """一、营运部通报本季度客流与重点活动安排。
二、工程部说明空调系统检修计划，预计下月完成。
三、租户代表提出意见与建议，已逐条登记为诉求并指派跟进。
四、下次租户大会拟于下季度末召开。"""

FEES = [
    ("service", "Property management fee", "物业管理费", "每平方米每月", "12.50", ""),
    ("service", "Air-conditioning fee (business hours)", "空调使用费（营业时间）", "每平方米每月", "8.00", ""),
    ("service", "Promotion fund", "推广基金", "每平方米每月", "3.00", "用于商场整体推广活动"),
    ("on_behalf", "Electricity", "电费（代收代付）", "每千瓦时", "1.05", "按供电局价格代收"),
    ("on_behalf", "Water", "水费（代收代付）", "每立方米", "4.20", "按自来水公司价格代收"),
    ("paid_service", "Overtime air-conditioning", "延时空调服务", "每小时", "300.00", "需提前一个工作日申请"),
    ("paid_service", "Advertising light box", "广告灯箱租用", "每个每月", "1500.00", ""),
    ("paid_service", "Cleaning of the shop front", "店面外立面清洁", "每次", "200.00", ""),
]


def _fees(desk: User, today: date) -> None:
    start = date(today.year, 1, 1)
    for kind, name, name_zh, unit, amount, notes in FEES:
        fee_item_create(
            actor=desk, kind=kind, name=name, name_zh=name_zh, unit=unit, amount=Decimal(amount),
            valid_from=start, valid_to=None, notes=notes,
        )  # fmt: skip
    # Last year's price, kept for the record; not on the public page.
    fee_item_create(
        actor=desk, kind="service", name="Property management fee (old rate)", name_zh="物业管理费（旧标准）",
        unit="每平方米每月", amount=Decimal("11.80"), valid_from=date(today.year - 1, 1, 1),
        valid_to=start - timedelta(days=1), notes="",
    )  # fmt: skip


@transaction.atomic
def seed(stdout=None) -> None:
    desk = User.objects.filter(username="ops1").first()
    if desk is None:
        return
    today = timezone.localdate()
    if not FeeScheduleItem.objects.exists():
        _fees(desk, today)
    tenants = list(Tenant.objects.filter(moved_out_at__isnull=True).order_by("unit")[:30])
    if not TenantMeeting.objects.exists() and len(tenants) >= 10:
        held = today - timedelta(days=45)
        attended = tenants[:24]
        meeting = meeting_create(
            actor=desk, held_on=held, kind="quarterly", title=f"{held.year}年第{(held.month - 1) // 3 + 1}季度租户大会",
            agenda="1. 营运情况通报\n2. 工程检修计划\n3. 租户意见与建议", minutes=MINUTES,
            attendees={t.pk: f"{t.shop_name}店长" for t in attended},
        )  # fmt: skip
        answered = meeting_add_suggestion(
            actor=desk, meeting=meeting, tenant=attended[2], description="建议在中庭增设休息座椅，方便顾客停留。"
        )
        request_respond(actor=desk, request=answered, note="已纳入下季度中庭改造方案，感谢建议。")
        meeting_add_suggestion(
            actor=desk, meeting=meeting, tenant=attended[5], description="建议延长地下停车场的免费停车时长。"
        )
        meeting_create(
            actor=desk, held_on=today - timedelta(days=10), kind="event", title="台风应急专题租户会议",
            agenda="台风期间的营业安排与防汛物资", minutes="各租户确认应急联系人，服务台统一发放沙袋。",
            attendees={t.pk: "" for t in tenants[:8]},
        )  # fmt: skip
    if stdout:
        stdout.write(f"  {TenantMeeting.objects.count()} tenant meetings, {FeeScheduleItem.objects.count()} fee items")
