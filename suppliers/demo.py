"""Demo supplier files (SUP-01 … SUP-07): one at every stage, taken there through the services by
the demo people — procure1 (procurement), tech1, design1, quality1 (the survey departments) and
procurehead1 (head of purchasing) — plus an active supplier with its code, a suspended one,
and a rejected one registered again. Idempotent: each demo supplier is recognised by its name."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from crm_project.accounts.models import User

from .identity import CODE_CHARACTERS, check_digit
from .models import Principle, Stage, Supplier
from .models.documents import SURVEY_DOCUMENTS
from .services.documents import supplier_upload_contract, supplier_upload_document
from .services.register import supplier_register, supplier_update
from .services.stages import supplier_activate, supplier_advance, supplier_decide, supplier_reject, supplier_suspend
from .services.survey import supplier_score, supplier_set_goods_lines, supplier_sign_finding

# name, legal representative, goods, source, the stage it is brought to
STORIES = [
    ("宁波精工紧固件有限公司", "陈国强", "不锈钢螺栓、螺母、垫圈", "exhibition", Stage.CANDIDATE),
    ("苏州恒信包装材料有限公司", "刘海燕", "瓦楞纸箱、珍珠棉内衬", "internet", Stage.GENERAL_SURVEY),
    ("东莞宏达电子科技有限公司", "黄志明", "电源适配器、线束组件", "referral", Stage.ONSITE_SURVEY),
    ("上海联合化工原料有限公司", "张丽华", "工业润滑油、清洗剂", "tender", Stage.APPROVAL),
    ("天津北方钢材贸易有限公司", "王建军", "冷轧钢板、镀锌卷", "referral", Stage.APPROVED),
    ("杭州万通物流设备有限公司", "赵文斌", "托盘、货架、周转箱", "approached", Stage.CONTRACTED),
    ("深圳华盛精密模具有限公司", "李卫东", "注塑模具、冲压模具", "exhibition", Stage.ACTIVE),
    ("佛山顺达五金制品有限公司", "何永康", "铰链、滑轨、拉手", "referral", "suspended"),
    ("温州利民塑料制品有限公司", "郑小红", "塑料外壳、注塑件", "internet", Stage.REJECTED),
]

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _credit_code(index: int) -> str:
    body = "9133020" + "".join(CODE_CHARACTERS[(index * 7 + position * 3) % 31] for position in range(10))
    return body + check_digit(body)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _general_survey(supplier, buyer, team) -> None:
    for kind in SURVEY_DOCUMENTS:
        supplier_upload_document(actor=buyer, supplier=supplier, kind=kind, file=_pdf(f"{kind}.pdf"))
    supplier_update(
        actor=buyer,
        supplier=supplier,
        interview_notes="与总经理面谈：产能稳定，月产能满足需求；经营方针务实，重视长期合作；对我司评价良好。",
        technical_meeting_notes="对方技术负责人与我司技术部、质量部交流：工艺成熟，检测设备齐全，可按我司标准出厂检验。",
    )
    for principle in Principle.values:
        result = "conditional" if principle == Principle.COST else "pass"
        note = "报价略高于现有供应商，可议价" if principle == Principle.COST else "符合要求"
        supplier_score(actor=team["quality"], supplier=supplier, principle=principle, result=result, note=note)


def _application(supplier, buyer) -> None:
    supplier_update(
        actor=buyer,
        supplier=supplier,
        trading_reasons="现有供应商交期不稳定，需要第二货源；该公司质量与交期经调查均符合要求。",
        trading_policy="年度框架协议，按订单交货，价格每半年评审一次。",
    )
    supplier_set_goods_lines(
        actor=buyer,
        supplier=supplier,
        lines=[
            {"item": supplier.goods.split("、")[0], "expected_amount": "380000"},
            {"item": "其他", "expected_amount": "60000"},
        ],
    )


def _bring_to(supplier, target: str, people) -> None:
    buyer, head, team = people["buyer"], people["head"], people["team"]
    order = [Stage.GENERAL_SURVEY, Stage.ONSITE_SURVEY, Stage.APPROVAL, Stage.APPROVED, Stage.CONTRACTED, Stage.ACTIVE]
    stop = {"suspended": Stage.ACTIVE, Stage.REJECTED: Stage.ONSITE_SURVEY}.get(target, target)
    for stage in order[: order.index(stop) + 1] if stop in order else []:
        if stage == Stage.GENERAL_SURVEY:
            supplier_advance(actor=buyer, supplier=supplier)
        elif stage == Stage.ONSITE_SURVEY:
            _general_survey(supplier, buyer, team)
            supplier_advance(actor=buyer, supplier=supplier)
        elif stage == Stage.APPROVAL:
            for code, person in team.items():
                supplier_sign_finding(
                    actor=person,
                    supplier=supplier,
                    department=code,
                    findings="现场查看生产线与仓库，管理规范。",
                    score=4,
                )
            _application(supplier, buyer)
            supplier_advance(actor=buyer, supplier=supplier)
        elif stage == Stage.APPROVED:
            supplier_decide(actor=head, supplier=supplier, decision="approve", comment="同意认定，首年试用。")
        elif stage == Stage.CONTRACTED:
            today = timezone.localdate()
            for kind in ("supply", "quality"):
                supplier_upload_contract(
                    actor=buyer, supplier=supplier, kind=kind, signed_on=today, file=_pdf(f"{kind}.pdf")
                )
            supplier_advance(actor=buyer, supplier=supplier)
        elif stage == Stage.ACTIVE:
            supplier_activate(actor=buyer, supplier=supplier, payment_terms="月结60天，银行转账")
    if target == "suspended":
        supplier_suspend(actor=buyer, supplier=supplier, reason="来料批次不合格，暂停下单待整改。")
    elif target == Stage.REJECTED:
        team_member = team["technical"]
        supplier_sign_finding(
            actor=team_member,
            supplier=supplier,
            department="technical",
            findings="设备老化，无法满足公差要求。",
            score=1,
        )
        supplier_reject(
            actor=buyer, supplier=supplier, reason="实地调查：设备与技术不满足我司质量要求（原则1不合格）。"
        )


def _people() -> dict | None:
    users = {
        user.username: user
        for user in User.objects.filter(username__in=["procure1", "procurehead1", "tech1", "design1", "quality1"])
    }
    if len(users) < 5:
        return None
    return {
        "buyer": users["procure1"],
        "head": users["procurehead1"],
        "team": {"technical": users["tech1"], "design": users["design1"], "quality": users["quality1"]},
    }


@transaction.atomic
def seed(stdout=None) -> None:
    people = _people()
    if people is None:
        if stdout:
            stdout.write(
                "  suppliers skipped: the demo users procure1, procurehead1, tech1, design1, quality1 are missing"
            )
        return
    created = 0
    for index, (name, legal, goods, source, target) in enumerate(STORIES, start=1):
        if Supplier.objects.filter(name=name).exists():
            continue
        supplier = supplier_register(
            actor=people["buyer"],
            name=name,
            credit_code=_credit_code(index),
            legal_representative=legal,
            address="浙江省宁波市",
            contact_name=legal,
            contact_phone=f"1390000{index:04d}",
            goods=goods,
            source=source,
        )
        _bring_to(supplier, target, people)
        created += 1
    if stdout:
        active = Supplier.objects.filter(stage=Stage.ACTIVE).order_by("code").values_list("code", flat=True)
        stdout.write(
            f"  {created} suppliers ({', '.join(active)} active; procure1, procurehead1, tech1, design1, quality1)"
        )
