"""Demo tenant desk (TEN-01 … TEN-04, TEN-09, TEN-11): thirty shops over three floors and
requests in every category and state, some breached, taken there through the services by the
demo people — ops1 at the desk, opsmanager1 (head of Operations) and eng1 (Engineering).
Idempotent: a demo tenant is recognised by its unit; requests are made only the first time."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from crm_project.accounts.models import Department, User

from . import demo_fire, demo_meetings, demo_notices, demo_visits
from .models import Tenant, TenantRequest
from .services.recordings import recording_archive, recording_upload
from .services.replies import reply_draft, reply_review
from .services.requests import request_assign, request_confirm, request_log, request_resolve, request_respond
from .services.storage import storage_pick_up, storage_receive
from .services.tenants import tenant_create

SHOPS = [
    ("星巴克咖啡", "餐饮"), ("优衣库", "服装"), ("屈臣氏", "个人护理"), ("海底捞火锅", "餐饮"), ("名创优品", "百货"),
    ("周大福珠宝", "珠宝"), ("华为授权体验店", "数码"), ("小米之家", "数码"), ("喜茶", "餐饮"), ("安踏体育", "运动"),
    ("李宁", "运动"), ("无印良品", "生活百货"), ("西西弗书店", "图书"), ("太平鸟", "服装"), ("九木杂物社", "文具"),
    ("肯德基", "餐饮"), ("老凤祥", "珠宝"), ("泡泡玛特", "潮玩"), ("奈雪的茶", "餐饮"), ("热风", "服装"),
    ("孩子王", "母婴"), ("万达影城", "娱乐"), ("大润发", "超市"), ("丝芙兰", "美妆"), ("ZARA", "服装"),
    ("必胜客", "餐饮"), ("爱眼视光", "眼镜"), ("联想专卖店", "数码"), ("乐高授权店", "潮玩"), ("瑞幸咖啡", "餐饮"),
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"

# (unit index, category, channel, description, how far it goes, hours ago)
REQUESTS = [
    (0, "emergency", "hotline", "后厨水管爆裂，地面大量积水", "confirmed", 30),
    (3, "emergency", "hotline", "店内烟感报警器误报，顾客惊慌", "assigned", 2),
    (5, "repair", "walk_in", "橱窗射灯三盏不亮", "resolved", 20),
    (8, "repair", "hotline", "空调不制冷，店内温度过高", "responded", 60),
    (11, "repair", "online", "卷帘门卡住无法完全拉下", "logged", 1),
    (14, "complaint", "walk_in", "隔壁店铺装修噪音影响营业", "assigned", 50),
    (17, "complaint", "hotline", "商场停车场收费与约定不符", "confirmed", 200),
    (20, "inquiry", "hotline", "咨询国庆促销活动的报名方式", "responded", 5),
    (23, "inquiry", "walk_in", "咨询夜间送货通道开放时间", "logged", 30),
    (26, "suggestion", "meeting", "建议增加中庭休息座椅", "logged", 72),
    (29, "suggestion", "social", "微博网友建议延长周末营业时间", "assigned", 10),
    (2, "repair", "hotline", "卫生间洗手池漏水", "reopened", 80),
]
SOURCE = "https://weibo.com/demo/mall-feedback"
DEMO_MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + b"\x00" * 400


def _tenants(desk: User) -> list[Tenant]:
    tenants = []
    for index, (shop, business) in enumerate(SHOPS):
        floor = f"{index // 10 + 1}F"
        unit = f"{floor}-{101 + index % 10:03d}"
        tenant = Tenant.objects.filter(unit=unit, moved_out_at__isnull=True).first()
        if tenant is None:
            start = date(2023 + index % 3, 1 + index % 12, 1)
            # A few leases end within the warning window, so the flag shows.
            end = (
                timezone.localdate() + timedelta(days=40 + index)
                if index % 7 == 0
                else date(start.year + 3, start.month, 1)
            )
            surname = SURNAMES[index % len(SURNAMES)]
            tenant = tenant_create(
                actor=desk, shop_name=shop, unit=unit, floor=floor, business_type=business, lease_start=start,
                lease_end=end, notes="",
                contacts=[
                    {"name": f"{surname}店长", "role": "店长", "phone": f"139{index:04d}8{index:04d}"[:11],
                     "wechat": f"shop{index:02d}", "is_primary": True},
                    {"name": f"{surname}助理", "role": "店员", "phone": f"138{index:04d}6{index:04d}"[:11]},
                ],
            )  # fmt: skip
        tenants.append(tenant)
    return tenants


def _take_to(request, stage: str, desk: User, engineer: User, engineering: Department) -> TenantRequest:
    if stage == "logged":
        return request
    worker = engineer if request.department_id == engineering.pk else desk
    if request.department_id is None:
        request = request_assign(actor=desk, request=request, department=engineering)
        worker = engineer
    if stage == "assigned":
        return request
    request = request_respond(actor=worker, request=request, note="已收到，正在安排处理。")
    if stage == "responded":
        return request
    request = request_resolve(actor=worker, request=request, resolution="已处理完毕，现场恢复正常。")
    if stage == "resolved":
        return request
    if stage == "reopened":
        return request_confirm(actor=desk, request=request, satisfied=False, note="租户反映问题仍然存在。")
    return request_confirm(actor=desk, request=request, satisfied=True, note="租户确认满意。")


@transaction.atomic
def seed(stdout=None) -> None:
    desk = User.objects.filter(username="ops1").first()
    engineer = User.objects.filter(username="eng1").first()
    engineering = Department.objects.filter(code="engineering").first()
    if desk is None or engineer is None or engineering is None:
        return
    tenants = _tenants(desk)
    if not TenantRequest.objects.exists():
        now = timezone.now()
        for index, category, channel, text, stage, hours_ago in REQUESTS:
            request = request_log(
                actor=desk, tenant=tenants[index], category=category, channel=channel, description=text,
                source_url=SOURCE if channel == "social" else "", logged_at=now - timedelta(hours=hours_ago),
            )  # fmt: skip
            request = _take_to(request, stage, desk, engineer, engineering)
            if channel == "social":
                reply_draft(actor=desk, request=request, text="感谢您的建议，我们将与各租户商议周末营业时间。")
                reply_review(actor=engineer, request=request)
        first = TenantRequest.objects.order_by("pk").first()
        for name in ("emergency-call.mp3", "follow-up-call.mp3"):
            recording = recording_upload(
                actor=desk, request=first, file=SimpleUploadedFile(name, DEMO_MP3, content_type="audio/mpeg")
            )
        recording_archive(actor=desk, recording=recording, reason="紧急事件未在4小时内处理完毕，录音存档备查。")
        storage_receive(actor=desk, tenant=tenants[1], item="快递包裹两件", location="服务台A柜")
        storage_receive(actor=desk, tenant=tenants[4], item="促销物料一箱", location="服务台储物间")
        picked = storage_receive(actor=desk, tenant=tenants[9], item="钥匙一串", location="服务台抽屉")
        storage_pick_up(actor=desk, item=picked, picked_up_by="安踏体育 店员小李")
    if stdout:
        stdout.write(f"  {len(tenants)} tenants, {TenantRequest.objects.count()} tenant requests")
    demo_meetings.seed(stdout)
    demo_fire.seed(stdout)
    demo_notices.seed(stdout)
    demo_visits.seed(stdout)
