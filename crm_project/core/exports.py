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


@dataclass
class Column:
    header: str
    value: str | Callable[[Any], Any]
    width: int = 18

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


def write_xlsx(export: Export, queryset: QuerySet, target) -> int:
    """Write the export to a file object; returns the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(export.name)[:31])
    for index, column in enumerate(export.columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in export.columns:
        cell = WriteOnlyCell(sheet, value=excel_value(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in export.rows(queryset):
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
    workbook.save(target)
    return count


def xlsx_response(export: Export, queryset: QuerySet, *, user, query: str = "") -> FileResponse:
    """Stream the export as a download and log it (CUS-07)."""
    spool = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed, and so removed, by the response)
    count = write_xlsx(export, queryset, spool)
    spool.seek(0)
    ExportLog.objects.create(user=user, name=export.name, query=query, row_count=count)
    return FileResponse(spool, as_attachment=True, filename=export.filename())
