"""The supplier file as one printable workbook (SUP-07), logged like every export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from crm_project.core.models import ExportLog
from suppliers.models import Stage, Supplier

pytestmark = pytest.mark.django_db


# --- the supplier file ---------------------------------------------------------------------


def test_the_supplier_file_export_holds_the_whole_file_and_is_logged(client_for, buyer, at):
    """SUP-07: one printable workbook with details, steps, documents, scores, findings, contracts, code."""
    supplier = at(Stage.ACTIVE, name="档案导出有限公司")
    response = client_for(buyer).get(reverse("suppliers:supplier_file_export", args=[supplier.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]
    text = "\n".join(cells)
    for expected in (
        "档案导出有限公司",
        supplier.code,
        "月结60天",
        supplier.credit_code,
        "现场良好",
        "符合要求",
        "同意",
    ):
        assert expected in text, expected
    assert "supply contract" in text and "quality-assurance contract" in text
    assert sheet.page_setup.paperSize == 9 and sheet.print_title_rows
    assert ExportLog.objects.get().name == "supplier-file"


def test_the_exports_keep_stored_control_characters_and_formulas_as_harmless_text(client_for, buyer, at):
    """SUP-07 DSH-03: text stored around the services' cleaning neither breaks nor runs in Excel."""
    supplier = at(Stage.ACTIVE)
    Supplier.objects.filter(pk=supplier.pk).update(name="Bad\x01Name\x1f Co", goods='=HYPERLINK("http://x")')
    client = client_for(buyer)
    for url in (
        reverse("suppliers:supplier_list") + "?export=xlsx",
        reverse("suppliers:supplier_file_export", args=[supplier.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
        assert any("BadName Co" in str(cell.value) for cell in cells), url
        formula = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
        assert formula.data_type == "s", url
