"""Demo outgoing notices 对外发文 (TEN-06): two templates and a notice in every state, one of them
delivered with partial sign-off (by link and on paper), taken there through the services by the
demo people — ops1 drafts, seals and delivers, opsmanager1 (head of Operations) and eng1 (head
of Engineering) approve, gm1 approves the seal. Idempotent: templates by name; notices are
made only the first time."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from crm_project.accounts.models import Department, User

from .models import Notice, NoticeTemplate, Tenant
from .services.notices import (
    notice_approve,
    notice_approve_seal,
    notice_deliver,
    notice_draft,
    notice_link_reissue,
    notice_receipt_paper,
    notice_seal,
    notice_sign_by_link,
    template_save,
)

TEMPLATES = [
    ("消防安全检查通知", "关于{date}消防安全检查的通知",
     "尊敬的{tenant}（{unit}）：\n\n为保障商场消防安全，营运部将于{date}起对各租户开展月度消防安全检查，"
     "请贵店保持消防通道畅通、灭火器在有效期内，并于{due_date}前完成自查。\n\n特此通知。\n\n营运部"),
    ("节假日营业安排", "节假日营业时间安排",
     "尊敬的{tenant}（{unit}）：\n\n节假日期间商场营业时间调整如下，请贵店做好人员排班与备货，"
     "如有问题请于{due_date}前联系服务台。\n\n营运部 {date}"),
]  # fmt: skip
PDF = b"%PDF-1.4\n% demo paper receipt\n" + b"0" * 200

# (title, department, how far it goes)
NOTICES = [
    ("关于三月消防安全检查的通知", "operations", "delivered"),
    ("关于空调系统年度检修的通知", "engineering", "sealed"),
    ("关于清明节营业时间的通知", "operations", "seal_approved"),
    ("关于卫生间改造施工的通知", "engineering", "approved"),
    ("关于五一促销活动报名的通知", "operations", "draft"),
]
ORDER = ["draft", "approved", "seal_approved", "sealed", "delivered"]


def seed(stdout=None) -> None:
    people = {u.username: u for u in User.objects.filter(username__in=["ops1", "opsmanager1", "eng1", "gm1"])}
    departments = {d.code: d for d in Department.objects.filter(code__in=["operations", "engineering"])}
    if len(people) < 4 or len(departments) < 2:
        return
    desk = people["ops1"]
    templates = []
    for name, title, body in TEMPLATES:
        existing = NoticeTemplate.objects.filter(name=name).first()
        templates.append(existing or template_save(actor=desk, name=name, title=title, body=body))
    tenants = list(Tenant.objects.filter(moved_out_at__isnull=True).order_by("floor", "unit"))
    if not tenants or Notice.objects.exists():
        return
    today = timezone.localdate()
    heads = {"operations": people["opsmanager1"], "engineering": people["eng1"]}
    for index, (title, code, stage) in enumerate(NOTICES):
        template = templates[index % len(templates)]
        addressed = tenants if index == 0 else tenants[index * 3 : index * 3 + 8] or tenants[:5]
        notice = notice_draft(
            actor=desk, department=departments[code], title=title, body=template.body, tenants=addressed,
            notice_date=today - timedelta(days=5 - index), due_date=today + timedelta(days=14), template=template,
        )  # fmt: skip
        steps = {
            "approved": lambda n, code=code: notice_approve(actor=heads[code], notice=n),
            "seal_approved": lambda n: notice_approve_seal(actor=people["gm1"], notice=n),
            "sealed": lambda n: notice_seal(actor=desk, notice=n),
            "delivered": lambda n: notice_deliver(actor=desk, notice=n),
        }
        with transaction.atomic():
            for status in ORDER[1 : ORDER.index(stage) + 1]:
                notice = steps[status](notice)
            # No e-mail goes out from the demo: the links count as sent before the sending job
            # runs on commit (the desk can show new ones).
            notice.addressees.exclude(emailed_to="").update(emailed_at=timezone.now())
        if stage == "delivered":
            _partial_sign_off(desk, notice, tenants)
    if stdout:
        stdout.write(f"  {len(templates)} notice templates, {Notice.objects.count()} outgoing notices")


def _partial_sign_off(desk, notice, tenants) -> None:
    """About half the tenants sign: most by their link, a few on paper."""
    addressees = list(notice.addressees.select_related("tenant").order_by("tenant__floor", "tenant__unit"))
    for number, addressee in enumerate(addressees[: len(addressees) // 2]):
        if number % 4 == 3:
            scan = SimpleUploadedFile("签收单.pdf", PDF, content_type="application/pdf")
            notice_receipt_paper(actor=desk, notice=notice, tenant=addressee.tenant, scan=scan, signer_name="店长")
        else:
            url = notice_link_reissue(actor=desk, addressee=addressee)
            token = url.rstrip("/").rsplit("/", 1)[-1]
            notice_sign_by_link(token=token, signer_name=f"{addressee.tenant.shop_name}店长")
