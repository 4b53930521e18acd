"""Outgoing notices as Excel (TEN-06, DSH-03): the list (the filtered rows of the screen), and
one notice laid out for printing with its sign-off list 签收记录 — who signed, how and when,
blank for those who have not."""

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from crm_project.core.exports import Column, Export, excel_value, print_setup
from crm_project.core.models import ExportLog


def _person(user) -> str:
    return user.display_name if user else ""


class NoticeExport(Export):
    name = "tenant-notices"
    columns = [
        Column(gettext_lazy("no."), "pk", 8),
        Column(gettext_lazy("title"), "title", 36),
        Column(gettext_lazy("department concerned"), lambda n: n.department.name, 16),
        Column(gettext_lazy("date of the notice"), "notice_date", 12),
        Column(gettext_lazy("status"), "get_status_display", 18),
        Column(gettext_lazy("drafted by"), lambda n: _person(n.drafted_by), 12),
        Column(gettext_lazy("approved by"), lambda n: _person(n.approved_by), 12),
        Column(gettext_lazy("seal approved by"), lambda n: _person(n.seal_approved_by), 12),
        Column(gettext_lazy("sealed by"), lambda n: _person(n.sealed_by), 12),
        Column(gettext_lazy("delivered at"), "delivered_at", 18),
        Column(gettext_lazy("addressees"), "addressee_count", 10, kind="quantity"),
        Column(gettext_lazy("signed"), "signed_count", 10, kind="quantity"),
        Column(gettext_lazy("not signed"), "unsigned_count", 10, kind="quantity"),
    ]


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WIDTHS = [6, 12, 24, 14, 12, 18, 16]


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def notice_workbook(notice, addressees) -> Workbook:
    """The notice on A4: heading, text, approvals and seal, then one line per addressed tenant."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Notice"))[:31]
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    last = chr(64 + len(WIDTHS))
    row = 1
    sheet.merge_cells(f"A{row}:{last}{row}")
    cell = sheet.cell(row, 1, excel_value(f"{notice.title}"))
    cell.font, cell.alignment = Font(bold=True, size=16), CENTER
    sheet.row_dimensions[row].height = 30
    row += 1
    sheet.merge_cells(f"A{row}:{last}{row}")
    cell = sheet.cell(row, 1, excel_value(f"对外发文 · {notice.department.name} · {notice.notice_date:%Y-%m-%d}"))
    cell.alignment = CENTER
    row += 2
    sheet.merge_cells(f"A{row}:{last}{row}")
    cell = sheet.cell(row, 1, excel_value(notice.body))
    cell.alignment = WRAP
    sheet.row_dimensions[row].height = max(60, 15 * (notice.body.count("\n") + 1 + len(notice.body) // 90))
    row += 2
    for label, person, moment in (
        (_("Drafted by"), notice.drafted_by, notice.drafted_at),
        (_("Approved by the department head"), notice.approved_by, notice.approved_at),
        (_("Seal approved by"), notice.seal_approved_by, notice.seal_approved_at),
        (_("Sealed at the GM office by"), notice.sealed_by, notice.sealed_at),
        (_("Delivered at"), None, notice.delivered_at),
    ):
        sheet.merge_cells(f"A{row}:C{row}")
        sheet.cell(row, 1, excel_value(label)).font = Font(bold=True)
        sheet.merge_cells(f"D{row}:{last}{row}")
        sheet.cell(row, 4, excel_value(" ".join(part for part in (_person(person), _when(moment)) if part)))
        row += 1
    row += 1
    sheet.merge_cells(f"A{row}:{last}{row}")
    sheet.cell(row, 1, excel_value(_("Sign-off list 签收记录"))).font = Font(bold=True, size=12)
    row += 1
    header_row = row
    headers = [_("No."), _("Unit"), _("Tenant"), _("Signed"), _("How"), _("When"), _("Signed for by")]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row, column, excel_value(header))
        cell.font, cell.border, cell.alignment = Font(bold=True), BOX, CENTER
    signed = 0
    for number, addressee in enumerate(addressees, start=1):
        row += 1
        signed += addressee.is_signed
        values = [
            number,
            addressee.tenant.unit,
            addressee.tenant.shop_name,
            _("yes") if addressee.is_signed else "",
            addressee.get_method_display() if addressee.is_signed else "",
            _when(addressee.signed_at),
            addressee.signer_name,
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column, excel_value(value))
            cell.border, cell.alignment = BOX, WRAP
        sheet.row_dimensions[row].height = 22
    row += 2
    sheet.merge_cells(f"A{row}:{last}{row}")
    sheet.cell(row, 1, excel_value(_("Signed: %(signed)s of %(total)s") % {"signed": signed,
                                                                            "total": len(addressees)}))  # fmt: skip
    print_setup(sheet, orientation="portrait", title_rows=f"{header_row}:{header_row}", area=f"A1:{last}{row}")
    return workbook


def notice_xlsx_response(notice, addressees, *, user) -> FileResponse:
    spool = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed, and so removed, by the response)
    notice_workbook(notice, addressees).save(spool)
    spool.seek(0)
    ExportLog.objects.create(user=user, name="tenant-notice", query=f"notice={notice.pk}", row_count=len(addressees))
    return FileResponse(spool, as_attachment=True, filename=f"notice-{notice.pk}-{timezone.localdate():%Y%m%d}.xlsx")
