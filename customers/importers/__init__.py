"""Excel imports (CUS-12): reading a workbook and checking it row by row.

Each kind of import is a module here with an `Importer`: its columns, `check()` (every bad
row with its row number, column and reason; nothing written) and `apply()` (writes the good
rows with bulk statements). Reading the workbook safely is `workbook.py`; the flow around
them — upload, preview, confirm, background jobs — is in `customers/services/imports.py`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from crm_project.core.errors import DomainError
from crm_project.core.text import without_control_characters

NOTES_SHEET = "notes"


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
        return {normal_name(name) for name in (self.key, self.zh, self.en, *self.aliases)}


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


def normal_name(name) -> str:
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


def importer_for(kind: str):
    from . import customers, purchases

    importers = {"customers": customers.importer, "purchases": purchases.importer}
    if kind not in importers:
        raise DomainError(_("Unknown kind of import."), field="kind")
    return importers[kind]
