"""Excel files laid out like the company's paper forms (附表1–5, DSH-03): bordered, merged
cells, a title row, print set-up. User text never becomes a formula."""

import gc
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import copy
from datetime import datetime

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break, RowBreak

from .exports import FORMULA_PREFIXES, excel_value, print_setup
from .models import ExportLog

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
BOLD = Font(bold=True)


def local_text(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A signing time as the form shows it, in Asia/Shanghai; empty when not signed."""
    return timezone.localtime(moment).strftime(fmt) if moment else ""


def _merge(sheet, *, min_row, min_col, max_row, max_col, style=None) -> None:
    """Merge a range whose cells hold nothing yet but the first.

    openpyxl's merge_cells() checks each new range against every earlier one (quadratic on a
    long form) and then redraws the range's edges cell by cell, combining border objects —
    together seconds for a few hundred lines. A form's ranges never overlap, so add the range
    directly and put a merged cell in each covered place, boxed by `style(cell)` when given."""
    coord = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
    sheet.merged_cells.ranges.add(MergedCellRange(sheet, coord))
    for row in range(min_row, max_row + 1):
        for col in range(min_col, max_col + 1):
            if (row, col) != (min_row, min_col):
                cell = MergedCell(sheet, row=row, column=col)
                if style is not None:
                    style(cell)
                sheet._cells[(row, col)] = cell


class PaperForm:
    """A worksheet written cell by cell, like a paper form, printed on A4 fitted to the width."""

    orientation = "portrait"
    # Body rows that fit on one printed page under the repeated header rows, with margin for rows
    # that wrap (A4 landscape, a form ~190 characters wide, fitted to the width: about 40 rows).
    rows_per_page = 30

    def __init__(self, sheet, widths: list[int]):
        self.sheet = sheet
        self.columns = len(widths)
        # Each combination of alignment, font, number format and border, made once: assigning
        # a style object to a cell makes openpyxl hash it against the workbook's list of styles,
        # which was nearly all the time of a long form (seconds for a few hundred lines). The
        # style objects are kept in the key's value, so their ids stay theirs.
        self._styles: dict[tuple, tuple[Alignment | None, StyleArray]] = {}
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

    def _style(self, cell, *, align=None, bold=False, fmt=None, border=True) -> None:
        key = (id(align), bold, fmt, border)
        cached = self._styles.get(key)
        if cached is None:
            if align is not None:
                cell.alignment = align
            if bold:
                cell.font = BOLD
            if fmt:
                cell.number_format = fmt
            if border:
                cell.border = BOX
            self._styles[key] = (align, copy(cell._style))
        else:
            cell._style = copy(cached[1])

    def put(self, row, col, value, *, to_col=None, to_row=None, bold=False, align=CENTER, fmt=None, border=True):
        """Write a cell, merged across to `to_col` and down to `to_row`."""
        value = excel_value(value)
        cell = self.sheet.cell(row=row, column=col, value=value)
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"
        self._style(cell, align=align, bold=bold, fmt=fmt, border=border)
        last_col, last_row = to_col or col, to_row or row
        if last_col > col or last_row > row:
            _merge(
                self.sheet, min_row=row, min_col=col, max_row=last_row, max_col=last_col,
                style=self._style if border else None,
            )  # fmt: skip
        return cell

    def title(self, row: int, text: str, *, label: str) -> None:
        """The form's number (附表N) small, and its title large across the whole width."""
        self.sheet.cell(row=row, column=1, value=excel_value(label)).font = Font(size=9)
        cell = self.sheet.cell(row=row + 1, column=1, value=excel_value(text))
        cell.font = Font(bold=True, size=16)
        cell.alignment = CENTER
        _merge(self.sheet, min_row=row + 1, min_col=1, max_row=row + 1, max_col=self.columns)
        self.sheet.row_dimensions[row + 1].height = 30

    def page_breaks(self, blocks: list[tuple[int, int]], *, tail: int = 0) -> None:
        """Manual page breaks between `blocks` (first row, last row) so that no block — a
        customer's rows, merged down — is cut across two pages, and the `tail` rows that
        follow the last block (totals, notes, signatures) stay on the last block's page."""
        self.sheet.row_breaks = RowBreak()
        used = 0
        for index, (first, last) in enumerate(blocks):
            height = last - first + 1 + (tail if index == len(blocks) - 1 else 0)
            if used and used + height > self.rows_per_page:
                self.sheet.row_breaks.append(Break(id=first - 1))
                used = 0
            used += height

    def finish(self, last_row: int, *, title_rows: str | None = None) -> None:
        """Print area, A4 in the form's orientation fitted to the width, and `title_rows`
        (e.g. "1:4") repeated at the top of every printed page."""
        print_setup(
            self.sheet,
            orientation=self.orientation,
            title_rows=title_rows,
            area=f"A1:{get_column_letter(self.columns)}{last_row}",
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A form is tens of thousands of openpyxl objects, all freed when its workbook goes; while
    they are made, Python's cyclic collector would sweep the whole heap again and again (a third
    of a 300-line form's time). Paused for the build, it collects them once afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def paper_form_response(
    build: Callable[[], Workbook], *, user, name: str, query: str, rows: int, filename: str
) -> FileResponse:
    """Build and save the form, log the export like every export (CUS-07), answer the download."""
    buffer = io.BytesIO()
    with _collector_paused():
        build().save(buffer)
    buffer.seek(0)
    ExportLog.objects.create(user=user, name=name, query=query, row_count=rows)
    return FileResponse(buffer, as_attachment=True, filename=filename)
