"""Reading an uploaded workbook without trusting it (CUS-12).

An .xlsx is a zip of XML, and a hostile one is cheap to make: 2.8 MB holding 20 million blank
rows below a sheet that declares two, or a few kilobytes that unpack to gigabytes. So nothing
here believes what a file says about itself:

- the unpacked sizes in the zip's directory are added up before openpyxl opens the file, and
  a workbook over IMPORT_MAX_UNPACKED_MB is refused. Those sizes are a true bound: Python's
  zipfile stops reading each member at its declared size;
- every row read counts against IMPORT_MAX_ROWS — blank rows, and the empty rows openpyxl
  yields for gaps between row numbers, included — and reading stops at the limit;
- the declared sheet size (`<dimension>`) is ignored, and of each row only the header's
  columns are read, so a cell in column XFD does not make every row 16,384 values wide.
"""

import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from crm_project.core.errors import DomainError

from . import NOTES_SHEET, Column, FileProblem, ImportCancelled, cell_text, normal_name

READ_PROGRESS_EVERY = 1000
MB = 1024 * 1024
NAMES_SHOWN = 10
# An import needs one sheet; a workbook of thousands of parts (sheets, pictures) takes seconds
# just to open, as openpyxl looks into every sheet.
MAX_PARTS = 1000


def max_upload_mb() -> int:
    return int(getattr(settings, "IMPORT_MAX_UPLOAD_MB", 20))


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 200_000))


def max_unpacked_mb() -> int:
    return int(getattr(settings, "IMPORT_MAX_UNPACKED_MB", 100))


def background_threshold() -> int:
    """From this many rows read, a file is checked and imported by a background job."""
    return int(getattr(settings, "IMPORT_BACKGROUND_THRESHOLD", 10_000))


def background_unpacked_mb() -> int:
    """A workbook unpacking to more than this is checked in the background whatever its rows:
    opening it (shared strings, wide rows) would hold up a web worker."""
    return int(getattr(settings, "IMPORT_BACKGROUND_UNPACKED_MB", 4))


def not_a_workbook() -> FileProblem:
    return FileProblem(
        _(
            "This file is not an Excel workbook (.xlsx). Save it from Excel as “Excel Workbook (*.xlsx)” "
            "and upload it again."
        )
    )


def damaged() -> FileProblem:
    return FileProblem(_("This workbook could not be read; it may be damaged. Save it again from Excel."))


def unpacked_size(handle) -> int:
    """The bytes the workbook unpacks to, from its zip directory; refused over the limit."""
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except Exception:  # not a zip, or a broken one: the same thing to the user
        raise not_a_workbook() from None
    finally:
        handle.seek(0)
    if len(members) > MAX_PARTS:
        raise FileProblem(
            _(
                "This workbook has more than %(max)s parts (sheets, pictures and the like). Copy the data into a "
                "new workbook, or start from the template."
            )
            % {"max": MAX_PARTS}
        )
    size = sum(member.file_size for member in members)
    if size > max_unpacked_mb() * MB:
        raise FileProblem(
            _(
                "This workbook unpacks to more than %(mb)s MB, more than an import may read. Delete what the "
                "import does not need (other sheets, pictures, empty formatted rows) or split it into smaller files."
            )
            % {"mb": max_unpacked_mb()}
        )
    return size


def _open(handle):
    unpacked_size(handle)
    try:
        return load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # zip, XML and format errors all mean the same thing to the user
        raise not_a_workbook() from None


def _data_sheet(workbook):
    sheets = [sheet for sheet in workbook.worksheets if sheet.title.lower() != NOTES_SHEET]
    if not sheets:
        raise FileProblem(_("The workbook has no sheet with data."))
    return sheets[0]


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    return shown + (" …" if len(names) > NAMES_SHOWN else "")


def _header_positions(header, columns: tuple[Column, ...]) -> dict[int, str]:
    """{position in the row: column key}. A required column missing, an unknown or a repeated
    column is one file-level problem."""
    by_name = {name: column for column in columns for name in column.names()}
    positions: dict[int, str] = {}
    unknown, repeated = [], []
    for position, title in enumerate(header):
        name = normal_name(title)
        if not name:
            continue
        column = by_name.get(name)
        if column is None:
            unknown.append(str(title))
        elif column.key in positions.values():
            repeated.append(str(title))
        else:
            positions[position] = column.key
    missing = [column.key for column in columns if column.required and column.key not in positions.values()]
    problems = []
    if missing:
        problems.append(_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": _names(unknown)})
    if repeated:
        problems.append(_("Columns given twice: %(columns)s.") % {"columns": _names(repeated)})
    if problems:
        raise FileProblem(
            " ".join(problems) + " " + _("Use the column names of the template (the first row of the sheet).")
        )
    return positions


@dataclass
class SheetRows:
    """The data rows as (row number, {column key: cell value}), blank rows left out; how many
    rows below the header were read, blank ones too; and whether reading reached the end
    (False when it stopped at `stop_after`)."""

    rows: list[tuple[int, dict]]
    read: int
    complete: bool


def read_rows(
    handle,
    columns: tuple[Column, ...],
    *,
    stop_after: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> SheetRows:
    """The rows of the data sheet, read to the end — or until `stop_after` rows are read (then
    `complete` is False), for deciding whether a file is small enough to check now. More than
    IMPORT_MAX_ROWS rows is a file-level problem, found without reading the rest."""
    workbook = _open(handle)
    try:
        sheet = _data_sheet(workbook)
        sheet.reset_dimensions()  # the declared size may be wrong, by mistake or on purpose
        header_rows = sheet.iter_rows(max_row=1, values_only=True)
        header = next(header_rows, None) or ()
        header_rows.close()
        positions = _header_positions(header, columns)
        width = max(positions, default=0) + 1
        limit = max_rows()
        data: list[tuple[int, dict]] = []
        read = 0
        for number, values in enumerate(sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
            if read >= limit:
                raise FileProblem(
                    _(
                        "The sheet has more than %(max)s rows (blank rows count too). Delete the empty rows below "
                        "the data, or split the file into smaller files."
                    )
                    % {"max": limit}
                )
            read += 1
            if progress and read % READ_PROGRESS_EVERY == 0:
                progress(read)
            if any(cell_text(value) for value in values):
                data.append((number, {key: values[position] for position, key in positions.items()}))
            if stop_after is not None and read >= stop_after:
                return SheetRows(data, read, complete=False)
        if not data:
            raise FileProblem(_("The file has no data rows below the header."))
        return SheetRows(data, read, complete=True)
    except (DomainError, ImportCancelled, SoftTimeLimitExceeded):
        raise
    except Exception:
        raise damaged() from None
    finally:
        workbook.close()
