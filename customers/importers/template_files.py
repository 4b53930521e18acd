"""The downloadable template of each import (CUS-12): the header row, one example row, and a
notes sheet explaining every column, with the industry and product codes to use."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..models import Industry, Product
from . import NOTES_SHEET, importer_for

BOLD = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")


def template_workbook(kind: str) -> bytes:
    importer = importer_for(kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind
    sheet.append([column.key for column in importer.columns])
    sheet.append([column.example for column in importer.columns])
    for index, column in enumerate(importer.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = BOLD
        if column.required:
            cell.fill = REQUIRED_FILL
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.key) + 4)
        # Text cells, so that codes like 0012 and months like 2026-09 stay as typed.
        sheet.cell(row=2, column=index).number_format = "@"
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(NOTES_SHEET)
    notes.append([_("How to fill in this file")])
    notes["A1"].font = Font(bold=True, size=13)
    notes.append([_("One row per line of data below the header; replace the example row. Do not rename the columns.")])
    notes.append([_("Columns marked required must be filled in; a bad row is reported with its row number.")])
    notes.append([])
    notes.append([_("Column"), "中文", "English", _("Required"), _("Notes")])
    for cell in notes[notes.max_row]:
        cell.font = BOLD
    for column in importer.columns:
        notes.append([column.key, column.zh, column.en, _("yes") if column.required else "", str(column.note)])
    notes.append([])
    if kind == "customers":
        notes.append([_("Industries")])
        notes[notes.max_row][0].font = BOLD
        for code, name_zh, name_en in Industry.objects.filter(active=True).values_list("code", "name_zh", "name_en"):
            notes.append([code, name_zh, name_en])
    else:
        notes.append([_("Products")])
        notes[notes.max_row][0].font = BOLD
        for code, name, unit in Product.objects.filter(active=True).values_list("code", "name", "unit"):
            notes.append([code, name, unit])
    for letter, width in zip("ABCDE", (22, 16, 24, 10, 80), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=6):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
