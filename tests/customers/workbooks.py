"""Workbooks for import tests, ordinary and hostile: made with openpyxl, then their sheet XML or
their zip members rewritten by hand the way a broken or malicious program would write them."""

import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def workbook_bytes(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewritten(
    data: bytes,
    *,
    dimension: str | None = None,
    extra_rows: str = "",
    broken_after_extra_rows: bool = False,
    add: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
) -> bytes:
    """The workbook with its sheet's declared size replaced, raw `<row>` XML appended to the
    sheet (optionally followed by XML no parser accepts, so reading past it fails), and zip
    members added or dropped."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename in drop:
                continue
            content = source.read(item.filename)
            if item.filename == SHEET:
                text = content.decode()
                if dimension:
                    text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', text)
                head, _, tail = text.partition("</sheetData>")
                if broken_after_extra_rows:
                    text = head + extra_rows + "<row r='x'><c><<<"  # cut off: the rest is not XML
                else:
                    text = head + extra_rows + "</sheetData>" + tail
                content = text.encode()
            target.writestr(item.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def blank_rows(first: int, count: int) -> str:
    return "".join(f'<row r="{number}"/>' for number in range(first, first + count))


def data_rows(first: int, values: list[list[str]]) -> str:
    """Rows of inline-string cells, numbered from `first`."""
    rows = []
    for offset, row in enumerate(values):
        number = first + offset
        cells = "".join(
            f'<c r="{chr(65 + column)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
            for column, value in enumerate(row)
        )
        rows.append(f'<row r="{number}">{cells}</row>')
    return "".join(rows)


def upload_file(data: bytes, name: str = "data.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
