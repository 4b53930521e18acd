"""A dashboard block's data as an Excel workbook: one sheet per table of its presentation,
logged like every export (CUS-07)."""

import tempfile

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from crm_project.core.exports import excel_value, print_setup, typed_cell
from crm_project.core.models import ExportLog

from .blocks import DashboardBlock, Presentation, Scope

_BOLD = Font(bold=True)


def write_block_xlsx(block: DashboardBlock, scope: Scope, presentation: Presentation, target) -> int:
    """Write the block's tables; returns the number of data rows written."""
    workbook = Workbook(write_only=True)
    count = 0
    for number, table in enumerate(presentation.tables, start=1):
        sheet = workbook.create_sheet(title=f"{number} {table.title}"[:31])
        for index in range(len(table.headers)):
            sheet.column_dimensions[get_column_letter(index + 1)].width = 24 if index == 0 else 16
        sheet.freeze_panes = "A3"
        print_setup(sheet, orientation="portrait", title_rows="1:2")
        sheet.append([excel_value(f"{block.title} · {table.title} · {scope.period.code}")])
        header = []
        for label in table.headers:
            cell = WriteOnlyCell(sheet, value=excel_value(label))
            cell.font = _BOLD
            header.append(cell)
        sheet.append(header)
        kinds = table.kinds or [""] * len(table.headers)
        for row in table.rows:
            sheet.append([typed_cell(sheet, value, kind) for value, kind in zip(row, kinds, strict=False)])
            count += 1
    if not presentation.tables:
        workbook.create_sheet(title=str(block.title)[:31])
    workbook.save(target)
    return count


def block_xlsx_response(block: DashboardBlock, scope: Scope, presentation: Presentation, *, query: str):
    spool = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed, and so removed, by the response)
    count = write_block_xlsx(block, scope, presentation, spool)
    spool.seek(0)
    ExportLog.objects.create(user=scope.user, name=f"dashboard-{block.key}", query=query, row_count=count)
    filename = f"dashboard-{block.key}-{scope.period.code}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(spool, as_attachment=True, filename=filename)
