"""附表5 月客户相关人员变更申请表 as an Excel sheet laid out like the paper form (CUS-05):
customer, rep and date, the lines, the reason, and the four signatures with names and times
where signed. One small form, so openpyxl's normal mode (merged cells, borders)."""

from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook

from crm_project.core.paper_forms import LEFT, PaperForm, local_text, paper_form_response

from ..models import ChangeStatus, ContactChangeAction, ContactChangeRequest, ContactRole

ACTIONS = {ContactChangeAction.ADD: "新增", ContactChangeAction.REMOVE: "删除", ContactChangeAction.SHARE: "调整比例"}
ROLES = {
    ContactRole.PURCHASER: "采购员",
    ContactRole.PURCHASING_HEAD: "采购部领导",
    ContactRole.EXECUTIVE: "主管采购的公司领导",
    ContactRole.OTHER: "其他",
}
WIDTHS = [8, 14, 16, 22, 12, 12]
MIN_LINES = 5
PERCENT = '0.00"%"'


def form5_workbook(change: ContactChangeRequest) -> Workbook:
    """The form for one request; `change` comes with its customer, people and items."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "附表5"
    out = PaperForm(sheet, WIDTHS)
    filed = timezone.localtime(change.filed_at)
    out.title(1, f"{filed.year}年{filed.month}月客户相关人员变更申请表", label="附表5")

    customer = change.customer
    out.put(3, 1, "客户名称", to_col=2, bold=True)
    out.put(3, 3, customer.name, to_col=4, align=LEFT)
    out.put(3, 5, "客户编码", bold=True)
    out.put(3, 6, customer.code)
    out.put(4, 1, "销售代表", to_col=2, bold=True)
    out.put(4, 3, change.filed_by.display_name, to_col=4, align=LEFT)
    out.put(4, 5, "申请日期", bold=True)
    out.put(4, 6, filed.strftime("%Y-%m-%d"))

    row = 5
    for col, header in enumerate(["序号", "变更内容", "姓名", "职务", "原比例", "新比例"], start=1):
        out.put(row, col, header, bold=True)
    items = list(change.items.all())
    for number in range(max(len(items), MIN_LINES)):
        row += 1
        item = items[number] if number < len(items) else None
        out.put(row, 1, number + 1 if item else None)
        out.put(row, 2, ACTIONS.get(item.action, item.action) if item else None)
        out.put(row, 3, item.name if item else None, align=LEFT)
        out.put(row, 4, ROLES.get(item.role, item.role) if item else None, align=LEFT)
        out.put(row, 5, item.old_share if item and item.old_share is not None else None, fmt=PERCENT)
        new_share = item.new_share if item else None
        if item and item.action == ContactChangeAction.REMOVE:
            new_share = Decimal("0.00")
        out.put(row, 6, new_share, fmt=PERCENT)

    row += 1
    out.put(row, 1, "变更原因", to_col=2, bold=True)
    out.put(row, 3, change.reason, to_col=6, align=LEFT)
    sheet.row_dimensions[row].height = 48
    if change.status == ChangeStatus.REJECTED:
        row += 1
        out.put(row, 1, "驳回", to_col=2, bold=True)
        rejected_by = change.rejected_by.display_name if change.rejected_by else ""
        out.put(
            row, 3, f"{rejected_by} {local_text(change.rejected_at)}:{change.rejection_reason}", to_col=6, align=LEFT
        )

    row += 1
    out.put(row, 1, "签字", to_col=2, bold=True)
    out.put(row, 3, "姓名", to_col=4, bold=True)
    out.put(row, 5, "时间", to_col=6, bold=True)
    signatures = [
        ("销售代表", change.filed_by, change.filed_at),
        ("销售部经理", change.manager, change.manager_at),
        ("销售总监", change.director, change.director_at),
        ("销售文员", change.clerk, change.clerk_at),
    ]
    for label, person, moment in signatures:
        row += 1
        out.put(row, 1, label, to_col=2, bold=True)
        out.put(row, 3, person.display_name if person else "", to_col=4)
        out.put(row, 5, local_text(moment) if person else "", to_col=6)
        sheet.row_dimensions[row].height = 24
    out.finish(row, title_rows="1:5")
    return workbook


def form5_response(change: ContactChangeRequest, *, user) -> FileResponse:
    """The download, logged like every export (CUS-07)."""
    filename = f"附表5-{change.customer.code}-{timezone.localtime(change.filed_at):%Y%m%d}-{change.pk}.xlsx"
    return paper_form_response(
        lambda: form5_workbook(change),
        user=user,
        name="form5",
        query=f"request={change.pk}",
        rows=len(change.items.all()),
        filename=filename,
    )
