"""Demo complaints (CMP-01 … CMP-05): one in every state, one reopened, one overdue and
escalated, one from the public form not yet matched, closed ones over past months with root
causes and a repeat, so the report has something to show, and one received and closed this
month, for the dashboard's time to close. Idempotent: each demo complaint is recognised by its
text."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from crm_project.accounts.models import Department, User
from crm_project.accounts.roles import Role
from customers.models import Customer

from .models import Complaint, ComplaintEvent
from .services.escalation import complaint_escalate_breaches
from .services.flow import (
    complaint_assign,
    complaint_close,
    complaint_inform,
    complaint_investigate,
    complaint_propose,
    complaint_reopen,
)
from .services.intake import complaint_log, complaint_submit_public

# (text, customer index, category, severity, days ago, steps up to, closing (satisfaction, cause, action))
STORIES = [
    ("收到的传感器外壳有裂纹，共12件。", 0, "quality", "normal", 0, "received", None),
    ("上周订单延迟三天送达，影响我方生产。", 1, "delivery", "urgent", 0, "assigned", None),
    ("专用线缆批次绝缘层偏薄，怀疑不合格。", 2, "quality", "normal", 1, "investigating", None),
    ("发票抬头错误，需重开。", 3, "billing", "normal", 1, "solution_proposed", None),
    ("售后工程师上门态度冷淡。", 4, "attitude", "normal", 2, "customer_informed", None),
    ("模块到货后通电即损坏两件。", 0, "quality", "normal", 70, "closed",
     (4, "来料检验漏检", "来料检验增加通电抽检")),
    ("同一型号模块再次出现通电损坏。", 0, "quality", "normal", 20, "closed",
     (2, "来料检验漏检", "供应商整改并每批附出厂测试报告")),
    ("物流破损，外包装压坏。", 5, "delivery", "normal", 120, "closed", (5, "承运商装卸不当", "更换承运商并加固包装")),
    ("对账单金额与合同不符。", 6, "billing", "normal", 45, "closed",
     (3, "合同价格未同步到系统", "合同变更后当日更新价格表")),
    ("维修后同样问题仍未解决，客户不满意。", 7, "quality", "normal", 30, "reopened",
     (2, "维修未更换故障部件", "维修后增加复测")),
    ("投诉三周无人跟进，请尽快处理。", 8, "attitude", "urgent", 12, "overdue", None),
    # Received and closed within this month (days ago: None), so the dashboard's month has a
    # time to close (DSH-01).
    ("发货单与实物数量不符，少发两箱。", 5, "delivery", "normal", None, "closed",
     (4, "仓库拣货未复核", "出库前增加扫码复核")),
]  # fmt: skip

ORDER = ["received", "assigned", "investigating", "solution_proposed", "customer_informed", "closed"]
PUBLIC_TEXT = "网上下单的产品少发了一件，联系不到销售。"


def _quality_head() -> User:
    quality, _created = Department.objects.get_or_create(
        code="quality", defaults={"name_zh": "质量部", "name_en": "Quality"}
    )
    user = User.objects.filter(username="quality1").first()
    if user is None:
        user = User(username="quality1", last_name="钱", first_name="质", email="quality1@example.com")
        user.set_password("demo1234")
    user.department = quality
    user.save()
    user.groups.set(Group.objects.filter(name=Role.SPECIALIST.value))
    if quality.head_id != user.pk:
        quality.head = user
        quality.save(update_fields=["head"])
    return user


def _backdate(complaint: Complaint, received_at, step_hours: float = 20) -> None:
    """Spread the demo steps over the days after it was received."""
    events = list(ComplaintEvent.objects.filter(complaint=complaint).order_by("pk"))
    for index, event in enumerate(events):
        ComplaintEvent.objects.filter(pk=event.pk).update(at=received_at + timedelta(hours=step_hours * index))
    updates = {}
    if complaint.responded_at:
        updates["responded_at"] = received_at + timedelta(hours=min(2, step_hours))
    if complaint.solution_proposed_at:
        updates["solution_proposed_at"] = received_at + timedelta(hours=step_hours * 3)
    if complaint.closed_at:
        updates["closed_at"] = received_at + timedelta(hours=step_hours * (len(events) - 1))
    if updates:
        Complaint.objects.filter(pk=complaint.pk).update(**updates)


@transaction.atomic
def seed(stdout=None) -> None:
    service = User.objects.filter(username="service1").first()
    customers = list(Customer.objects.filter(code__startswith="DEMO").order_by("code")[:9])
    if service is None or len(customers) < 9:
        if stdout:
            stdout.write("  complaints skipped: the accounts and customers demo data are missing")
        return
    quality_head = _quality_head()
    quality = quality_head.department
    sales = Department.objects.get(code="sales")
    now = timezone.now()
    created = 0
    for text, index, category, severity, days_ago, upto, closing in STORIES:
        if Complaint.objects.filter(text=text).exists():
            continue
        customer = customers[index]
        contact = customer.contacts.filter(active=True).first()
        step_hours = 20
        if days_ago is None:
            this_month = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
            received_at = max(this_month, now - timedelta(days=2))
            step_hours = (now - received_at).total_seconds() / 3600 / 6
        else:
            received_at = now - timedelta(days=days_ago, hours=1)
        complaint = complaint_log(
            actor=service,
            channel="hotline" if index % 2 == 0 else "email",
            customer=customer,
            contact=contact,
            complainant_name=contact.name if contact else "客户代表",
            complainant_contact=contact.phone if contact else "",
            text=text,
            category=category,
            severity=severity,
            received_at=received_at,
        )
        created += 1
        target = "closed" if upto == "reopened" else ("assigned" if upto == "overdue" else upto)
        department = sales if category in ("billing", "attitude") and upto != "overdue" else quality
        handler = quality_head if department == quality else department.head or service
        steps = ORDER[1 : ORDER.index(target) + 1]
        for step in steps:
            if step == "assigned":
                complaint = complaint_assign(actor=service, complaint=complaint, department=department)
            elif step == "investigating":
                complaint = complaint_investigate(actor=handler, complaint=complaint, note="已安排现场核查")
            elif step == "solution_proposed":
                complaint = complaint_propose(actor=handler, complaint=complaint, solution="免费更换问题产品并补发。")
            elif step == "customer_informed":
                complaint = complaint_inform(actor=service, complaint=complaint, note="电话告知客户处理方案")
            elif step == "closed":
                satisfaction, cause, action = closing
                complaint = complaint_close(actor=service, complaint=complaint, satisfaction=satisfaction,
                                            root_cause=cause, preventive_action=action)  # fmt: skip
        complaint.refresh_from_db()
        _backdate(complaint, received_at, step_hours)
        if upto == "reopened":
            complaint_reopen(actor=service, complaint=complaint, reason="客户表示问题再次出现，不满意。")
    if not Complaint.objects.filter(text=PUBLIC_TEXT).exists():
        complaint_submit_public(
            name="周女士", contact="13800138000", company="宁波某贸易公司", text=PUBLIC_TEXT, address="203.0.113.7"
        )
        created += 1
    escalated = complaint_escalate_breaches()
    if stdout:
        stdout.write(f"  {created} complaints, {escalated} escalations (quality1 / demo1234 heads Quality)")
