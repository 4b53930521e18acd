"""Demo customers: industries, products, and 60+ customers of rep1 and rep2 across every
grade, status and industry, with contacts, interactions, visits and six months of purchases.
Deterministic (a fixed random seed) and idempotent (keyed on customer codes)."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from crm_project.accounts.models import User
from crm_project.workdays.calendar import add_months

from . import demo_loyalty
from .models import (
    Contact,
    ContactRole,
    Customer,
    CustomerKind,
    CustomerSize,
    CustomerStatus,
    Grade,
    Industry,
    Interaction,
    InteractionKind,
    Product,
    Purchase,
    Visit,
    VisitStatus,
)
from .services.search import customer_refresh_search_text

INDUSTRIES = [
    ("finance", "金融", "Finance"),
    ("energy", "能源", "Energy"),
    ("manufacturing", "制造业", "Manufacturing"),
    ("education", "教育", "Education"),
    ("healthcare", "医疗卫生", "Healthcare"),
    ("real-estate", "房地产", "Real estate"),
    ("services", "服务业", "Services"),
    ("other", "其他", "Other"),
]

PRODUCTS = [
    ("P-MOD-IMP", "进口模块", "件"),
    ("P-MOD-DOM", "国产模块", "件"),
    ("P-SENSOR", "传感器", "个"),
    ("P-CABLE", "专用线缆", "卷"),
    ("P-SERVICE", "维保服务", "次"),
]

NAMES = [
    "华为技术有限公司", "中兴通讯股份有限公司", "上海电气集团", "广州医药有限公司", "北京建工集团",
    "深圳能源集团", "杭州海康威视", "南京钢铁股份", "成都银行", "重庆长安汽车", "武汉光谷科技",
    "西安交大教育服务", "苏州工业园区服务中心", "天津港物流", "青岛啤酒股份", "厦门航空服务",
    "宁波港集团", "长沙中联重科", "郑州宇通客车", "合肥科大讯飞", "济南二机床", "沈阳机床集团",
    "大连万达商管", "福州新大陆", "昆明云药集团", "南宁糖业", "贵阳大数据中心", "兰州石化",
    "太原钢铁集团", "石家庄四药", "哈尔滨电气", "长春一汽配套", "南昌洪都航空", "海口旅游服务",
    "乌鲁木齐能源", "呼和浩特乳业", "银川新能源", "西宁盐湖工业", "拉萨高原医疗", "珠海格力配套",
    "佛山美的配套", "东莞精密制造", "无锡药明服务", "常州天合光能", "温州正泰配套", "绍兴纺织集团",
    "嘉兴港区物流", "金华义乌商贸", "台州医化", "扬州教育集团", "徐州工程机械", "烟台万华配套",
    "潍坊柴动配套", "洛阳轴承", "芜湖奇瑞配套", "赣州稀土", "柳州五菱配套", "桂林旅游服务",
    "三亚度假酒店", "绵阳九洲电器", "宜昌三峡能源", "襄阳汽车轴承",
]  # fmt: skip
PEOPLE = ["王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周杰", "吴婷", "徐明", "孙丽"]
REGIONS = ["广东", "上海", "北京", "浙江", "江苏", "四川", "湖北", "山东", "福建", "新加坡"]


@transaction.atomic
def seed(stdout=None) -> None:
    rng = random.Random(20261123)
    industries = [
        Industry.objects.update_or_create(code=code, defaults={"name_zh": zh, "name_en": en})[0]
        for code, zh, en in INDUSTRIES
    ]
    products = [
        Product.objects.update_or_create(code=code, defaults={"name": name, "unit": unit})[0]
        for code, name, unit in PRODUCTS
    ]
    reps = [User.objects.get(username="rep1"), User.objects.get(username="rep2")]
    today = timezone.localdate()
    grades = [g.value for g in Grade]
    statuses = [s.value for s in CustomerStatus]
    sizes = [s.value for s in CustomerSize]
    created = 0
    for index, name in enumerate(NAMES):
        code = f"DEMO{index + 1:04d}"
        if Customer.objects.filter(code=code).exists():
            continue
        created += 1
        individual = index % 15 == 14
        grade = grades[index % 4]
        status = CustomerStatus.ACTIVE if index % 5 else statuses[(index // 5) % 4]
        customer = Customer.objects.create(
            code=code,
            name=f"{PEOPLE[index % len(PEOPLE)]}（个人客户）" if individual else name,
            kind=CustomerKind.INDIVIDUAL if individual else CustomerKind.ORGANISATION,
            grade=grade,
            status=status,
            owner=reps[index % 2],
            industry=None if individual else industries[index % len(industries)],
            size="" if individual else sizes[index % len(sizes)],
            region=REGIONS[index % len(REGIONS)],
            region_scope="international" if REGIONS[index % len(REGIONS)] == "新加坡" else "domestic",
            legal_representative="" if individual else PEOPLE[(index + 3) % len(PEOPLE)],
            phone=f"0{20 + index % 70}-{8800_0000 + index * 137:08d}",
            first_deal_date=today - timedelta(days=120 + index * 53) if status != "potential" else None,
            needs="关注新品与年度框架协议" if index % 3 == 0 else "",
            budget=Decimal(50_000 + index * 10_000) if index % 4 == 0 else None,
            source=["展会", "老客户介绍", "官网", "电话开发"][index % 4],
        )
        roles = [ContactRole.PURCHASER, ContactRole.PURCHASING_HEAD, ContactRole.EXECUTIVE]
        shares = [Decimal("50.00"), Decimal("30.00"), Decimal("20.00")]
        for position in range(3 if not individual else 1):
            Contact.objects.create(
                customer=customer,
                name=PEOPLE[(index + position * 5) % len(PEOPLE)],
                role=roles[position],
                phone=f"138{index:04d}{position:04d}",
                wechat=f"wx_{code.lower()}_{position}",
                birthday=date(1980 + index % 20, (index + position) % 12 + 1, (index % 27) + 1),
                receives_fee=not individual,
                fee_share=shares[position] if not individual else Decimal("0.00"),
            )
        for back in range(6):
            month = add_months(today.replace(day=1), -(back + 1))
            for product in rng.sample(products, k=2):
                quantity = Decimal(rng.randint(1, 30))
                price = Decimal(rng.choice([120, 260, 480, 900]))
                returned = Decimal(rng.choice([0, 0, 0, 1])) if quantity > 2 else Decimal(0)
                amount = quantity * price
                net = amount - returned * price
                Purchase.objects.create(
                    customer=customer,
                    product=product,
                    month=month,
                    quantity=quantity,
                    amount=amount,
                    returned_quantity=returned,
                    returned_amount=returned * price,
                    collected_amount=net if back > 0 or index % 3 else (net * Decimal("0.6")).quantize(Decimal("1")),
                    source="import",
                )
        for back in range(3):
            Interaction.objects.create(
                customer=customer,
                kind=list(InteractionKind)[(index + back) % 5],
                occurred_at=timezone.now() - timedelta(days=7 + back * 23 + index % 5),
                summary=["电话沟通下月订货计划", "微信确认到货情况", "上门拜访，介绍新品", "会议讨论年度框架协议"][
                    (index + back) % 4
                ],
                next_step="发送报价单" if back == 0 else "",
                follow_up_date=today + timedelta(days=3 + index % 10) if back == 0 else None,
                created_by=customer.owner,
            )
        Visit.objects.create(
            customer=customer,
            owner=customer.owner,
            planned_date=today - timedelta(days=40),
            status=VisitStatus.COMPLETED,
            completed_at=timezone.now() - timedelta(days=40),
            purpose="季度回访",
            people_met=PEOPLE[index % len(PEOPLE)],
            findings="客户对交付满意，关注价格",
            needs="希望提供培训",
            next_actions="下月寄送培训资料",
            generated=True,
        )
        Visit.objects.create(
            customer=customer,
            owner=customer.owner,
            planned_date=today + timedelta(days=(index % 9) - 4),  # a few are overdue
            generated=True,
        )
    customer_refresh_search_text(customer_ids=Customer.objects.values_list("pk", flat=True))
    _date_the_book(today)
    demo_loyalty.seed(stdout=stdout)
    if stdout:
        stdout.write(f"  {len(industries)} industries, {len(products)} products, {created} new customers")


# The demo's churned customers (every 20th, from the 11th): two turned churned this month, one
# last month, so the dashboard's churn (DSH-01) has something to show and compare.
CHURNED_THIS_MONTH = ("DEMO0011", "DEMO0031")
CHURNED_LAST_MONTH = ("DEMO0051",)


def _date_the_book(today: date) -> None:
    """Dates relative to today for the dashboard (DSH-01): the customers entered over the past
    year and more (a few this month and last), not all at the moment of seeding, and when the
    churned ones turned churned. Run again the same day, nothing changes; on a later day a
    customer keeps the earlier of its entry dates and the churn moves to the new months.
    churned_at written alone passes the trigger that keeps it (migration 0009); a customer
    someone has since taken out of churned is left alone."""
    now = timezone.now()
    for index in range(len(NAMES)):
        entered = now - timedelta(days=3 + index * 11)
        Customer.objects.filter(code=f"DEMO{index + 1:04d}", created_at__gt=entered).update(created_at=entered)
    month_start = timezone.make_aware(datetime.combine(today.replace(day=1), time.min))
    last_month = timezone.make_aware(datetime.combine(add_months(today.replace(day=1), -1), time(10)))
    churned = Customer.objects.filter(status=CustomerStatus.CHURNED)
    churned.filter(code__in=CHURNED_THIS_MONTH).update(churned_at=max(month_start, now - timedelta(days=1)))
    churned.filter(code__in=CHURNED_LAST_MONTH).update(churned_at=last_month + timedelta(days=9))
