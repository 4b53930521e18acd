"""附表4 客户关系维护费用签收表 as Excel, laid out like the paper form (EXP-11, DSH-03).

Each contact person signs for their own amount separately and must not see anyone else's
(CUS-07), so every sheet is its own worksheet, printed on its own page; the per-sheet download
holds that one contact only. The signature cells are filled from the confirmation (personal
link or signed paper), the payout, the manager's spot-check and finance's write-off."""

import re
from collections.abc import Iterable

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook

from crm_project.core.paper_forms import LEFT, PaperForm, local_text, paper_form_response

from ..models import SignoffMethod, SignoffSheet
from .form3 import YUAN, rmb_upper

WIDTHS = [18, 20, 14, 20]
METHOD_ZH = {SignoffMethod.LINK: "个人链接确认", SignoffMethod.PAPER: "纸质签收表(已上传)"}
ROLE_ZH = {"purchaser": "采购员", "purchasing_head": "采购部领导", "executive": "主管采购的公司领导", "other": "其他"}
UNSAFE = re.compile(r"[\[\]:*?/\\]")


def _write_sheet(out: PaperForm, sheet: SignoffSheet) -> None:
    month = sheet.statement.month
    contact = sheet.contact
    out.title(1, "客户关系维护费用签收表", label="附表4")
    out.put(3, 1, "月份", bold=True)
    out.put(3, 2, f"{month.year}年{month.month}月")
    out.put(3, 3, "销售代表", bold=True)
    out.put(3, 4, sheet.statement.rep.display_name)
    out.put(4, 1, "客户名称", bold=True)
    out.put(4, 2, contact.customer.name, to_col=4, align=LEFT)
    out.put(5, 1, "签收人", bold=True)
    out.put(5, 2, contact.name)
    out.put(5, 3, "职务", bold=True)
    out.put(5, 4, ROLE_ZH.get(contact.role, contact.get_role_display()))
    out.put(6, 1, "金额(元)", bold=True)
    out.put(6, 2, sheet.amount, fmt=YUAN)
    out.put(6, 3, "大写", bold=True)
    out.put(6, 4, rmb_upper(sheet.amount), align=LEFT)
    out.put(
        7,
        1,
        f"本人已收到{month.year}年{month.month}月客户关系维护费人民币{sheet.amount:,.2f}元。",
        to_col=4,
        align=LEFT,
    )
    out.sheet.row_dimensions[7].height = 30
    out.put(8, 1, "签字", bold=True)
    out.put(8, 2, "姓名", bold=True)
    out.put(8, 3, "日期", bold=True)
    out.put(8, 4, "方式 / 备注", bold=True)
    rows = [
        ("签收人", contact.name if sheet.confirmed_at else "", local_text(sheet.confirmed_at),
         METHOD_ZH.get(sheet.method, "")),
        ("经办人(付款)", sheet.payer.display_name if sheet.paid_at else "", local_text(sheet.paid_at), ""),
        ("销售部经理抽查", sheet.spot_checked_by.display_name if sheet.spot_checked_by else "",
         local_text(sheet.spot_checked_at), ""),
        ("财务部核销", sheet.written_off_by.display_name if sheet.written_off_by else "",
         local_text(sheet.written_off_at),
         f"核销金额 ¥{sheet.written_off_amount:,.2f}" if sheet.written_off_amount is not None else ""),
    ]  # fmt: skip
    row = 8
    for label, name, moment, remark in rows:
        row += 1
        out.put(row, 1, label, bold=True)
        out.put(row, 2, name)
        out.put(row, 3, moment)
        out.put(row, 4, remark, align=LEFT)
        out.sheet.row_dimensions[row].height = 28
    row += 1
    out.put(row, 1, "交财务日期", bold=True)
    out.put(row, 2, local_text(sheet.submitted_to_finance_at), to_col=4, align=LEFT)
    out.finish(row)


def form4_workbook(sheets: Iterable[SignoffSheet]) -> Workbook:
    """One worksheet per contact; `sheets` come with statement__rep, contact__customer, payer,
    spot_checked_by and written_off_by."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for index, sheet in enumerate(sheets, start=1):
        title = UNSAFE.sub("", f"{index}-{sheet.contact.name}")[:31] or str(index)
        while title in used:
            title = f"{title[:28]}-{index}"
        used.add(title)
        _write_sheet(PaperForm(workbook.create_sheet(title=title), WIDTHS), sheet)
    if not workbook.worksheets:
        empty = workbook.create_sheet(title="附表4")
        empty["A1"] = "附表4 客户关系维护费用签收表"
    return workbook


def form4_response(sheets: list[SignoffSheet], *, user, filename: str, query: str) -> FileResponse:
    """The download, logged like every export."""
    return paper_form_response(
        lambda: form4_workbook(sheets),
        user=user,
        name="form4",
        query=query,
        rows=len(sheets),
        filename=f"{filename}-{timezone.localdate():%Y%m%d}.xlsx",
    )
