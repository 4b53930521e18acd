"""The export base: columns plus a generator of rows, written with openpyxl's write-only
mode so memory stays flat however many rows there are.

An export is always given the already scoped and filtered queryset of the page, so it can
never show more than the screen (ORG-02).
"""

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import ExportLog
from .text import without_control_characters

FORMULA_PREFIXES = ("=", "+", "-", "@")

# Number formats: money to the fen; quantities as whole numbers when they are whole (a stored
# Decimal("17.00") under "#,##0.##" would print as "17."), else with their two decimals.
MONEY_FORMAT = "#,##0.00"
QUANTITY_FORMAT = "#,##0"
FRACTION_FORMAT = "#,##0.00"
PAPER_A4 = 9  # openpyxl's Worksheet.PAPERSIZE_A4


def quantity_value(value: Any) -> tuple[Any, str]:
    """A quantity as a cell holds it, with its format: an int when it is whole."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value), QUANTITY_FORMAT
    if isinstance(value, int) and not isinstance(value, bool):
        return value, QUANTITY_FORMAT
    return value, FRACTION_FORMAT


def print_setup(
    sheet, *, orientation: str = "landscape", title_rows: str | None = None, area: str | None = None
) -> None:
    """A4, fitted to the page width and as many pages long as it needs, the header rows repeated
    on every printed page, page numbers in the footer. Works on write-only sheets too."""
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.orientation = orientation
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    if title_rows:
        sheet.print_title_rows = title_rows
    if area:
        sheet.print_area = area


@dataclass
class Column:
    header: str
    value: str | Callable[[Any], Any]
    width: int = 18
    kind: str = ""  # "money" or "quantity": the cell's number format

    def read(self, obj: Any) -> Any:
        if callable(self.value):
            return self.value(obj)
        result = obj
        for part in self.value.split("."):
            result = getattr(result, part, None)
            if result is None:
                return None
        if callable(result):
            result = result()
        return result


class Export:
    """Subclass with `name`, `columns`; override `rows()` for anything but one row per object."""

    name: str = "export"
    columns: list[Column] = []
    chunk_size = 2000

    def objects(self, queryset: QuerySet) -> Iterable[Any]:
        return queryset.iterator(chunk_size=self.chunk_size)

    def rows(self, queryset: QuerySet) -> Iterator[list[Any]]:
        for obj in self.objects(queryset):
            yield [column.read(obj) for column in self.columns]

    def filename(self) -> str:
        return f"{self.name}-{timezone.localdate():%Y%m%d}.xlsx"


def excel_value(value: Any) -> Any:
    """A value as a cell can hold it: the one place every export and paper form passes its
    values through. Aware moments become Asia/Shanghai wall-clock time (Excel has no time
    zones); anything not a number or a date becomes text, without the control characters an
    .xlsx file cannot contain."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | Decimal | date):
        return value
    return without_control_characters(str(value))


def _cell(sheet, value: Any) -> Any:
    value = excel_value(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        # A text like "=HYPERLINK(...)" from user input must stay text, never a formula.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def typed_cell(sheet, value: Any, kind: str) -> Any:
    """A cell with the number format of its column's kind; anything else as _cell() makes it."""
    if kind and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        value, fmt = quantity_value(value) if kind == "quantity" else (value, MONEY_FORMAT)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = fmt
        return cell
    return _cell(sheet, value)


PROGRESS_EVERY = 1000


def write_xlsx(export: Export, queryset: QuerySet, target, *, progress: Callable[[int], None] | None = None) -> int:
    """Write the export to a file object; returns the number of data rows. `progress(rows)` is
    called every PROGRESS_EVERY rows (a background export's progress bar)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(export.name)[:31])
    for index, column in enumerate(export.columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    # Before the first row: a write-only sheet writes its properties and views with it.
    sheet.freeze_panes = "A2"
    print_setup(sheet, title_rows="1:1")
    bold = Font(bold=True)
    header = []
    for column in export.columns:
        cell = WriteOnlyCell(sheet, value=excel_value(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    kinds = [column.kind for column in export.columns]
    count = 0
    for row in export.rows(queryset):
        sheet.append([typed_cell(sheet, value, kind) for value, kind in zip(row, kinds, strict=False)])
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    workbook.save(target)
    return count


def xlsx_response(export: Export, queryset: QuerySet, *, user, query: str = "") -> FileResponse:
    """Stream the export as a download and log it (CUS-07)."""
    spool = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed, and so removed, by the response)
    count = write_xlsx(export, queryset, spool)
    spool.seek(0)
    ExportLog.objects.create(user=user, name=export.name, query=query, row_count=count)
    return FileResponse(spool, as_attachment=True, filename=export.filename())
