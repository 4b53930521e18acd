"""The Excel forms print cleanly (DSH-03, EXP-06, EXP-08, CUS-05): quantities are whole numbers
(not "17."), money has two decimals, A4 landscape fitted to the width, the title and column
headings repeat on every printed page, a print area, and page breaks that never cut a
customer's block — a 190-row 附表1 included. List exports print the same way."""

import datetime
import io
import itertools

import pytest
from openpyxl import load_workbook

from customers.exports.purchases import PurchaseExport
from expenses.services.statements import statement_create
from tests.customers.factories import CustomerFactory
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(time_machine):
    time_machine.move_to("2026-10-09 10:00 +0800", tick=False)
    return time_machine


def _workbook(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _assert_a4_fitted(sheet, *, orientation="landscape", title_rows=None):
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.orientation == orientation
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    if title_rows:
        assert sheet.print_title_rows.replace("$", "") == title_rows


def _quantity_cells(sheet):
    """Column E (纯销数量) of 附表1's body, below the column headings, down to the totals."""
    cells = []
    for row in range(5, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == "合计":
            break
        cell = sheet.cell(row=row, column=5)
        if cell.value is not None:
            cells.append(cell)
    return cells


def test_form1_quantities_are_whole_numbers_and_money_has_two_decimals(client_for, rep, october):
    """DSH-03, EXP-06: a quantity of 12 is the integer 12 under "#,##0", never "12." under "#,##0.##"."""
    module = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(module)
    purchase(fee_customer(rep, name="华东电子有限公司"), module, quantity="12", amount="1000.00", collected="600.00")
    statement = statement_create(actor=rep, month=SEPTEMBER)
    sheet = _workbook(client_for(rep).get(f"/fees/statements/{statement.pk}/form1.xlsx")).active
    [quantity] = _quantity_cells(sheet)
    assert quantity.value == 12 and isinstance(quantity.value, int)
    assert quantity.number_format == "#,##0"
    money = [sheet.cell(row=quantity.row, column=col) for col in (6, 7, 8, 9, 10)]
    assert {cell.number_format for cell in money} == {"#,##0.00"}
    assert all(isinstance(cell.value, int | float) for cell in money)
    _assert_a4_fitted(sheet, title_rows="1:4")
    assert sheet.print_area is not None and sheet.print_area.startswith("'附表1'!$A$1:$N$")


def test_a_190_row_form1_breaks_pages_between_customers(client_for, rep, october):
    """DSH-03, EXP-06: 95 customers with two contacts each (190 body rows): breaks fall between
    customers' blocks, every page holds at most the page's rows, the headings repeat."""
    module = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(module)
    for number in range(95):
        customer = fee_customer(rep, name=f"客户{number:03d}", shares=("60.00", "40.00"))
        purchase(customer, module, quantity=str(1 + number % 30), amount="100.00", collected="100.00")
    statement = statement_create(actor=rep, month=SEPTEMBER)
    sheet = _workbook(client_for(rep).get(f"/fees/statements/{statement.pk}/form1.xlsx")).active
    quantities = _quantity_cells(sheet)
    assert len(quantities) == 95
    assert all(isinstance(cell.value, int) and cell.number_format == "#,##0" for cell in quantities)
    _assert_a4_fitted(sheet, title_rows="1:4")

    block_starts = {cell.row for cell in quantities}  # a customer's block starts at its quantity
    breaks = [brk.id for brk in sheet.row_breaks.brk]
    assert breaks, "a 190-row form needs page breaks"
    assert all(row + 1 in block_starts for row in breaks), "a break cuts a customer's block"
    total_row = next(row for row in range(5, sheet.max_row + 1) if sheet.cell(row=row, column=1).value == "合计")
    edges = [4, *breaks, sheet.max_row]
    pages = list(itertools.pairwise(edges))
    assert all(last - first <= 30 for first, last in pages), pages
    assert pages[-1][0] < total_row  # the totals and signatures print with the last customers


def test_form2_repeats_its_headings(client_for, rep, october):
    """DSH-03, EXP-09: 附表2 on A4 landscape with rows 1–4 repeated on every page."""
    module = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(module)
    purchase(fee_customer(rep, name="华东电子有限公司"), module, quantity="3")
    statement = statement_create(actor=rep, month=SEPTEMBER)
    sheet = _workbook(client_for(rep).get(f"/fees/statements/{statement.pk}/form2.xlsx")).active
    _assert_a4_fitted(sheet, title_rows="1:4")
    assert sheet.print_area is not None


def test_list_exports_print_with_the_header_row_and_typed_numbers(client_for, rep, october):
    """DSH-03, CUS-10: the purchases export — quantities whole numbers, amounts two decimals,
    the header row repeated on every page, A4 landscape fitted to the width."""
    customer = CustomerFactory(owner=rep)
    module = ProductFactory(code="P-MOD-IMP", name="进口模块")
    purchase(customer, module, month=datetime.date(2026, 9, 1), quantity="17", amount="1200.50")
    response = client_for(rep).get("/customers/purchases/", {"export": "xlsx"})
    sheet = _workbook(response).active
    fields = [column.value for column in PurchaseExport.columns]
    row = list(sheet[2])
    quantity, amount = row[fields.index("quantity")], row[fields.index("amount")]
    assert quantity.value == 17 and isinstance(quantity.value, int) and quantity.number_format == "#,##0"
    assert amount.number_format == "#,##0.00"
    _assert_a4_fitted(sheet, title_rows="1:1")
    assert sheet.freeze_panes == "A2"
