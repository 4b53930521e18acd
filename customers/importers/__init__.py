"""Excel imports (CUS-12): reading a workbook and checking it row by row.

Each kind of import is a module here with an `Importer`: its columns, `check()` (every bad
row with its row number, column and reason; nothing written) and `apply()` (writes the good
rows with bulk statements). The flow around them — upload, preview, confirm, background
jobs — is in `customers/services/imports.py`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from crm_project.core.errors import DomainError
from crm_project.core.text import without_control_characters

NOTES_SHEET = "notes"
READ_PROGRESS_EVERY = 1000


def background_threshold() -> int:
    """Files with at least this many rows are checked and imported by a background job."""
    return int(getattr(settings, "IMPORT_BACKGROUND_THRESHOLD", 10_000))


def max_upload_mb() -> int:
    return int(getattr(settings, "IMPORT_MAX_UPLOAD_MB", 20))


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 200_000))


class FileProblem(DomainError):
    """The file as a whole cannot be imported: not a workbook, wrong columns, no rows."""


class ImportCancelled(Exception):
    """The uploader cancelled the import while it was being checked."""


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool = False
    example: Any = ""
    note: str = ""
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {_normal(name) for name in (self.key, self.zh, self.en, *self.aliases)}


@dataclass
class CheckResult:
    """What a check found: every bad row (row, column, message), how many rows are good,
    and the importer's plan for writing them."""

    total_rows: int
    errors: list[dict] = field(default_factory=list)
    good_rows: int = 0
    plan: Any = None


def error(row: int | None, column: str | None, message) -> dict:
    return {"row": row, "column": column or "", "message": str(message)}


def _normal(name) -> str:
    return str(name or "").strip().rstrip("*＊").strip().lower().replace(" ", "_")


def cell_text(value) -> str:
    """A cell as text: numbers that Excel stored as 1001.0 read as "1001"; control characters
    dropped, as on every other input (rows are written with bulk statements, past the models'
    own cleaning)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return without_control_characters(str(value)).strip()


def parse_date(value) -> date | None:
    """A date cell, or text YYYY-MM-DD (also YYYY/MM/DD); None when blank. ValueError if bad."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(text) from None


def _open(handle):
    try:
        return load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # zip, XML and format errors all mean the same thing to the user
        raise FileProblem(
            _(
                "This file is not an Excel workbook (.xlsx). Save it from Excel as “Excel Workbook (*.xlsx)” "
                "and upload it again."
            )
        ) from None


def _data_sheet(workbook):
    sheets = [sheet for sheet in workbook.worksheets if sheet.title.lower() != NOTES_SHEET]
    if not sheets:
        raise FileProblem(_("The workbook has no sheet with data."))
    return sheets[0]


def count_rows(handle) -> int:
    """The number of rows below the header, as the workbook records it (for choosing
    between checking now and in the background); counted when not recorded."""
    workbook = _open(handle)
    try:
        sheet = _data_sheet(workbook)
        if sheet.max_row is None:
            sheet.reset_dimensions()
            return max(sum(1 for _row in sheet.iter_rows(values_only=True)) - 1, 0)
        return max(sheet.max_row - 1, 0)
    except FileProblem:
        raise
    except Exception:
        raise FileProblem(_("This workbook could not be read; it may be damaged. Save it again from Excel.")) from None
    finally:
        workbook.close()


def read_rows(
    handle, columns: tuple[Column, ...], *, progress: Callable[[int], None] | None = None
) -> list[tuple[int, dict]]:
    """The data rows as (row number, {column key: cell value}), blank rows skipped. A wrong
    header — a required column missing, an unknown or a repeated column — is one
    file-level problem, as is a file that is not a workbook."""
    workbook = _open(handle)
    try:
        sheet = _data_sheet(workbook)
        # Some programs write a wrong sheet size; read every row and cell that is there.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        by_name = {name: column for column in columns for name in column.names()}
        positions: dict[int, str] = {}
        unknown, repeated = [], []
        for position, title in enumerate(header):
            name = _normal(title)
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
            problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
        if repeated:
            problems.append(_("Columns given twice: %(columns)s.") % {"columns": ", ".join(repeated)})
        if problems:
            raise FileProblem(
                " ".join(problems) + " " + _("Use the column names of the template (the first row of the sheet).")
            )
        data: list[tuple[int, dict]] = []
        limit = max_rows()
        for number, values in enumerate(rows, start=2):
            if not any(cell_text(value) for value in values):
                continue
            if len(data) >= limit:
                raise FileProblem(
                    _("The file has more than %(max)s rows; split it into smaller files.") % {"max": limit}
                )
            data.append((number, {key: values[pos] if pos < len(values) else None for pos, key in positions.items()}))
            if progress and len(data) % READ_PROGRESS_EVERY == 0:
                progress(len(data))
        if not data:
            raise FileProblem(_("The file has no data rows below the header."))
        return data
    except (FileProblem, DomainError, ImportCancelled):
        raise
    except Exception:
        raise FileProblem(_("This workbook could not be read; it may be damaged. Save it again from Excel.")) from None
    finally:
        workbook.close()


def importer_for(kind: str):
    from . import customers, purchases

    importers = {"customers": customers.importer, "purchases": purchases.importer}
    if kind not in importers:
        raise DomainError(_("Unknown kind of import."), field="kind")
    return importers[kind]
