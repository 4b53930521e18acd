"""附表3 新客户特殊费用申请表 as an Excel sheet laid out like the paper form (EXP-09, DSH-03):
applicant, customer, planned contract date, amount (with the amount in capitals), purpose,
and the signature cells 申请人 / 销售部经理 / 销售总监 / 财务部 filled with names and times.
The small layout helpers here are shared with 附表4 (form4.py)."""

from decimal import Decimal

from django.http import FileResponse
from openpyxl import Workbook

from crm_project.core.paper_forms import LEFT, PaperForm, local_text, paper_form_response

from ..models import SpecialFeeApplication, SpecialFeeStatus
from ..models.common import FEN

YUAN = "#,##0.00"
WIDTHS = [16, 18, 14, 18, 14, 20]
STATUS_ZH = {
    SpecialFeeStatus.PENDING: "待销售部经理审批",
    SpecialFeeStatus.MANAGER_APPROVED: "待销售总监审批",
    SpecialFeeStatus.DIRECTOR_APPROVED: "待财务部审批",
    SpecialFeeStatus.APPROVED: "已批准",
    SpecialFeeStatus.PAID: "已支付",
    SpecialFeeStatus.REJECTED: "已驳回",
    SpecialFeeStatus.INVALID: "无效(签约当日或之后申请)",
}
DIGITS = "零壹贰叁肆伍陆柒捌玖"


def rmb_upper(amount: Decimal) -> str:
    """The amount in Chinese capitals as written on a paper form: 108.05 → 壹佰零捌元零伍分."""
    amount = Decimal(amount).quantize(FEN)
    sign = "负" if amount < 0 else ""
    integer, cents = divmod(int(abs(amount) * 100), 100)
    jiao, fen = divmod(cents, 10)
    text = _integer_upper(integer) + "元" if integer else ""
    if not jiao and not fen:
        return sign + (text or "零元") + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif integer:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return sign + text


def _integer_upper(number: int) -> str:
    units, big = ["仟", "佰", "拾", ""], ["", "万", "亿", "万亿"]
    groups = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    result, gap = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            gap = bool(result)
            continue
        digits = [group // 1000, group // 100 % 10, group // 10 % 10, group % 10]
        part, started, zero = "", False, False
        for position, digit in enumerate(digits):
            if digit == 0:
                zero = zero or started
                continue
            if zero:
                part, zero = part + "零", False
            part, started = part + DIGITS[digit] + units[position], True
        if result and (gap or group < 1000):
            result += "零"
        result, gap = result + part + big[index], False
    return result


def form3_workbook(application: SpecialFeeApplication) -> Workbook:
    """`application` comes with its rep, customer and approvers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "附表3"
    out = PaperForm(sheet, WIDTHS)
    out.title(1, "新客户特殊费用申请表", label="附表3")
    rep = application.rep
    out.put(3, 1, "申请人", bold=True)
    out.put(3, 2, rep.display_name)
    out.put(3, 3, "部门", bold=True)
    out.put(3, 4, str(rep.department) if rep.department_id else "")
    out.put(3, 5, "申请日期", bold=True)
    out.put(3, 6, application.filed_on.isoformat())
    out.put(4, 1, "客户名称", bold=True)
    out.put(4, 2, application.customer.name, to_col=4, align=LEFT)
    out.put(4, 5, "客户编码", bold=True)
    out.put(4, 6, application.customer.code)
    out.put(5, 1, "预计签约日期", bold=True)
    out.put(5, 2, application.planned_contract_date.isoformat())
    out.put(5, 3, "实际签约日期", bold=True)
    out.put(5, 4, application.contract_signed_on.isoformat() if application.contract_signed_on else "")
    out.put(5, 5, "状态", bold=True)
    out.put(5, 6, STATUS_ZH.get(application.status, application.status))
    out.put(6, 1, "申请金额(元)", bold=True)
    out.put(6, 2, application.amount, fmt=YUAN)
    out.put(6, 3, "大写", bold=True)
    out.put(6, 4, rmb_upper(application.amount), to_col=6, align=LEFT)
    out.put(7, 1, "费用用途", bold=True)
    out.put(7, 2, application.purpose, to_col=6, align=LEFT)
    sheet.row_dimensions[7].height = 60
    row = 7
    if application.decided_note:
        row += 1
        out.put(row, 1, "审批意见", bold=True)
        out.put(row, 2, application.decided_note, to_col=6, align=LEFT)
    row += 1
    out.put(row, 1, "签字", bold=True)
    out.put(row, 2, "姓名", to_col=3, bold=True)
    out.put(row, 4, "时间", to_col=6, bold=True)
    filed = application.filed_on.isoformat()
    signatures = [
        ("申请人", rep, filed),
        ("销售部经理", application.manager, local_text(application.manager_at)),
        ("销售总监", application.director, local_text(application.director_at)),
        ("财务部", application.finance, local_text(application.finance_at)),
    ]
    for label, person, moment in signatures:
        row += 1
        out.put(row, 1, label, bold=True)
        out.put(row, 2, person.display_name if person else "", to_col=3)
        out.put(row, 4, moment if person else "", to_col=6)
        sheet.row_dimensions[row].height = 26
    row += 1
    out.put(row, 1, "付款时间", bold=True)
    out.put(row, 2, local_text(application.paid_at), to_col=6, align=LEFT)
    out.finish(row)
    return workbook


def form3_response(application: SpecialFeeApplication, *, user) -> FileResponse:
    """The download, logged like every export."""
    filename = f"附表3-{application.customer.code}-{application.filed_on:%Y%m%d}-{application.pk}.xlsx"
    return paper_form_response(
        lambda: form3_workbook(application),
        user=user,
        name="form3",
        query=f"application={application.pk}",
        rows=1,
        filename=filename,
    )
