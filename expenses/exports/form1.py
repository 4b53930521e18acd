"""附表1 月客户采购及客情费统计表 as an Excel sheet laid out like the paper form (EXP-06,
EXP-08, DSH-03): title, the rep / department / month header, one block per customer and
product with its contact persons' parts, totals, the rep's notes and the four signature
cells filled from the current review round. One statement, so openpyxl's normal mode."""

from django.http import FileResponse
from openpyxl import Workbook

from crm_project.core.exports import MONEY_FORMAT, quantity_value
from crm_project.core.paper_forms import LEFT, RIGHT, PaperForm, local_text, paper_form_response

from ..models import SignerRole, StatementStatus
from ..selectors_pages import StatementPage, submitted_in_round

MONEY = MONEY_FORMAT
PERCENT = '0.00"%"'

STATUS_ZH = {
    StatementStatus.DRAFT: "草稿",
    StatementStatus.SUBMITTED: "待销售文员签字",
    StatementStatus.CLERK_SIGNED: "待销售部经理签字",
    StatementStatus.MANAGER_SIGNED: "待财务部签字",
    StatementStatus.VALID: "已生效（三方签字，已归档）",
    StatementStatus.RETURNED: "已退回销售代表",
}


class FormSheet(PaperForm):
    """附表1/附表2's sheet: a paper form with the statement's header and signature rows."""

    orientation = "landscape"

    def header(self, row: int, page: StatementPage) -> None:
        """部门 / 销售代表 / 月份 / 状态 across the width of the form."""
        statement = page.statement
        rep = statement.rep
        department = rep.department.name_zh if rep.department_id else ""
        pairs = [
            ("部门", department),
            ("销售代表", rep.display_name),
            ("统计月份", f"{statement.month.year}年{statement.month.month}月"),
            ("状态", STATUS_ZH.get(statement.status, statement.get_status_display())),
        ]
        bounds = _split(self.columns, len(pairs))
        for (label, value), (start, end) in zip(pairs, bounds, strict=True):
            middle = start + max(0, (end - start) // 2)
            self.put(row, start, label, to_col=middle if middle > start else None, bold=True)
            self.put(row, middle + 1 if middle + 1 <= end else end, value, to_col=end, align=LEFT)

    def signatures(self, row: int, page: StatementPage) -> int:
        """销售代表 / 销售文员 / 销售部经理 / 财务部: name and time, from the current round
        (EXP-07); empty while not signed. Returns the last row written."""
        statement = page.statement
        signed = page.signatures
        rep_signed = submitted_in_round(statement)
        cells = [
            ("销售代表", statement.rep if rep_signed else None, statement.submitted_at if rep_signed else None),
            _signer("销售文员", signed.get(SignerRole.CLERK)),
            _signer("销售部经理", signed.get(SignerRole.MANAGER)),
            _signer("财务部", signed.get(SignerRole.FINANCE)),
        ]
        for (label, person, moment), (start, end) in zip(cells, _split(self.columns, 4), strict=True):
            self.put(row, start, label, to_col=end, bold=True)
            self.put(row + 1, start, person.display_name if person else "", to_col=end)
            self.put(row + 2, start, local_text(moment), to_col=end)
        self.sheet.row_dimensions[row + 1].height = 28
        return row + 2


def _signer(label: str, signature) -> tuple:
    return (label, signature.user if signature else None, signature.signed_at if signature else None)


def _split(width: int, parts: int) -> list[tuple[int, int]]:
    """`parts` column ranges covering 1..width as evenly as possible."""
    bounds, start = [], 1
    for index in range(parts):
        size = width // parts + (1 if index < width % parts else 0)
        bounds.append((start, start + size - 1))
        start += size
    return bounds


HEADERS = [
    ("序号", 6), ("客户名称", 28), ("品种", 14), ("采购月份", 10), ("纯销数量", 10), ("纯销金额(元)", 13),
    ("回款金额(元)", 13), ("标准(元/单位)", 11), ("客情费(元)", 12), ("应付客情费(元)", 13), ("相关人员", 12),
    ("比例", 9), ("金额(元)", 12), ("备注", 20),
]  # fmt: skip


def _line_note(line) -> str:
    notes = []
    if line.carry_over:
        notes.append(f"{line.purchase_month:%Y-%m}采购，本月回款")
    if line.blocked:
        notes.append("调查中，暂停支付")
    if line.note:
        notes.append(line.note)
    return "；".join(notes)


def form1_workbook(page: StatementPage) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "附表1"
    out = FormSheet(sheet, [width for _header, width in HEADERS])
    statement = page.statement
    out.title(1, f"{statement.month.year}年{statement.month.month}月客户采购及客情费统计表", label="附表1")
    out.header(3, page)
    row = 4
    for col, (header, _width) in enumerate(HEADERS, start=1):
        out.put(row, col, header, bold=True)
    sheet.row_dimensions[row].height = 30
    sheet.freeze_panes = "A5"
    blocks = []
    for number, line in enumerate(page.lines, start=1):
        allocations = line.allocation_list or [None]
        first, last = row + 1, row + len(allocations)
        span = last if last > first else None
        out.put(first, 1, number, to_row=span)
        out.put(first, 2, line.customer.name, to_row=span, align=LEFT)
        out.put(first, 3, line.product.name, to_row=span, align=LEFT)
        out.put(first, 4, f"{line.purchase_month:%Y-%m}", to_row=span)
        quantity, quantity_format = quantity_value(line.net_quantity)
        out.put(first, 5, quantity, to_row=span, fmt=quantity_format, align=RIGHT)
        out.put(first, 6, line.net_sales, to_row=span, fmt=MONEY, align=RIGHT)
        out.put(first, 7, line.collected, to_row=span, fmt=MONEY, align=RIGHT)
        out.put(first, 8, line.fee_per_unit, to_row=span, fmt=MONEY, align=RIGHT)
        out.put(first, 9, line.fee, to_row=span, fmt=MONEY, align=RIGHT)
        out.put(first, 10, line.payable, to_row=span, fmt=MONEY, align=RIGHT)
        out.put(first, 14, _line_note(line), to_row=span, align=LEFT)
        for offset, allocation in enumerate(allocations):
            current = first + offset
            out.put(current, 11, allocation.contact.name if allocation else "", align=LEFT)
            out.put(current, 12, allocation.share if allocation else None, fmt=PERCENT, align=RIGHT)
            out.put(current, 13, allocation.amount if allocation else None, fmt=MONEY, align=RIGHT)
        blocks.append((first, last))
        row = last
    if not page.lines:
        row += 1
        out.put(row, 1, "无", to_col=len(HEADERS))
    row += 1
    out.put(row, 1, "合计", to_col=8, bold=True)
    out.put(row, 9, page.total_fee, fmt=MONEY, bold=True, align=RIGHT)
    out.put(row, 10, page.total_payable, fmt=MONEY, bold=True, align=RIGHT)
    out.put(row, 11, None, to_col=12)
    out.put(row, 13, page.total_allocated, fmt=MONEY, bold=True, align=RIGHT)
    out.put(row, 14, None)
    row += 1
    out.put(row, 1, "说明", to_col=2, bold=True)
    out.put(row, 3, statement.notes, to_col=len(HEADERS), align=LEFT)
    sheet.row_dimensions[row].height = 36
    last = out.signatures(row + 1, page)
    # Title, header and column headings on every page; no customer's block cut in two; the
    # totals, notes and signatures on the page of the last block.
    out.page_breaks(blocks, tail=last - row + 2)
    out.finish(last, title_rows="1:4")
    return workbook


def form1_response(page: StatementPage, *, user) -> FileResponse:
    statement = page.statement
    return paper_form_response(
        lambda: form1_workbook(page),
        name="form1",
        filename=f"附表1-{statement.rep.username}-{statement.month:%Y%m}.xlsx",
        user=user,
        query=f"statement={statement.pk}",
        rows=len(page.lines),
    )
