"""附表2 月新客户特殊费用申请汇总表 as an Excel sheet laid out like the paper form (EXP-06,
EXP-09, DSH-03): the rep's new-customer special fees approved by finance in the statement's
month, a "无" row when there are none, totals and the statement's four signature cells."""

from django.http import FileResponse
from openpyxl import Workbook

from crm_project.core.paper_forms import paper_form_response

from ..models import SpecialFeeStatus
from ..selectors_pages import StatementPage
from .form1 import LEFT, MONEY, RIGHT, FormSheet, local_text

HEADERS = [
    ("序号", 6), ("客户名称", 28), ("客户编码", 12), ("申请日期", 11), ("计划签约日期", 12),
    ("合同签订日期", 12), ("申请金额(元)", 13), ("费用用途", 30), ("财务批准时间", 17), ("状态", 9),
]  # fmt: skip

STATUS_ZH = {SpecialFeeStatus.APPROVED: "已批准", SpecialFeeStatus.PAID: "已支付"}


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def form2_workbook(page: StatementPage) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "附表2"
    out = FormSheet(sheet, [width for _header, width in HEADERS])
    statement = page.statement
    out.title(1, f"{statement.month.year}年{statement.month.month}月新客户特殊费用申请汇总表", label="附表2")
    out.header(3, page)
    row = 4
    for col, (header, _width) in enumerate(HEADERS, start=1):
        out.put(row, col, header, bold=True)
    sheet.row_dimensions[row].height = 30
    blocks = []
    for number, fee in enumerate(page.special_fees, start=1):
        row += 1
        blocks.append((row, row))
        out.put(row, 1, number)
        out.put(row, 2, fee.customer.name, align=LEFT)
        out.put(row, 3, fee.customer.code)
        out.put(row, 4, _day(fee.filed_on))
        out.put(row, 5, _day(fee.planned_contract_date))
        out.put(row, 6, _day(fee.contract_signed_on))
        out.put(row, 7, fee.amount, fmt=MONEY, align=RIGHT)
        out.put(row, 8, fee.purpose, align=LEFT)
        out.put(row, 9, local_text(fee.finance_at))
        out.put(row, 10, STATUS_ZH.get(fee.status, fee.get_status_display()))
    if not page.special_fees:
        row += 1
        out.put(row, 1, "无", to_col=len(HEADERS))
    row += 1
    out.put(row, 1, "合计", to_col=6, bold=True)
    out.put(row, 7, page.special_fee_total, fmt=MONEY, bold=True, align=RIGHT)
    out.put(row, 8, None, to_col=len(HEADERS))
    last = out.signatures(row + 1, page)
    out.page_breaks(blocks, tail=last - row + 1)
    out.finish(last, title_rows="1:4")
    return workbook


def form2_response(page: StatementPage, *, user) -> FileResponse:
    statement = page.statement
    return paper_form_response(
        lambda: form2_workbook(page),
        name="form2",
        filename=f"附表2-{statement.rep.username}-{statement.month:%Y%m}.xlsx",
        user=user,
        query=f"statement={statement.pk}",
        rows=len(page.special_fees),
    )
