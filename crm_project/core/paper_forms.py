"""Excel files laid out like the company's paper forms (附表1–5, DSH-03): bordered, merged
cells, a title row, print set-up. User text never becomes a formula."""

from datetime import datetime

from django.utils import timezone
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break, RowBreak

from .exports import FORMULA_PREFIXES, excel_value, print_setup

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def local_text(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A signing time as the form shows it, in Asia/Shanghai; empty when not signed."""
    return timezone.localtime(moment).strftime(fmt) if moment else ""


def _merge(sheet, **bounds) -> None:
    """openpyxl's merge_cells() checks each new range against every earlier one, which is
    quadratic on a long form (seconds for a few hundred lines). A form's ranges never overlap,
    so add the range directly and let openpyxl tidy the covered cells as merge_cells() would."""
    merged = MergedCellRange(sheet, CellRange(**bounds).coord)
    sheet.merged_cells.ranges.add(merged)
    sheet._clean_merge_range(merged)


class PaperForm:
    """A worksheet written cell by cell, like a paper form, printed on A4 fitted to the width."""

    orientation = "portrait"
    # Body rows that fit on one printed page under the repeated header rows, with margin for rows
    # that wrap (A4 landscape, a form ~190 characters wide, fitted to the width: about 40 rows).
    rows_per_page = 30

    def __init__(self, sheet, widths: list[int]):
        self.sheet = sheet
        self.columns = len(widths)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

    def put(self, row, col, value, *, to_col=None, to_row=None, bold=False, align=CENTER, fmt=None, border=True):
        """Write a cell, merged across to `to_col` and down to `to_row`."""
        value = excel_value(value)
        cell = self.sheet.cell(row=row, column=col, value=value)
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"
        cell.alignment = align
        if bold:
            cell.font = Font(bold=True)
        if fmt:
            cell.number_format = fmt
        last_col, last_row = to_col or col, to_row or row
        if border:
            for r in range(row, last_row + 1):
                for c in range(col, last_col + 1):
                    self.sheet.cell(row=r, column=c).border = BOX
        if last_col > col or last_row > row:
            _merge(self.sheet, min_row=row, min_col=col, max_row=last_row, max_col=last_col)
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
