"""附表1 and 附表2 as Excel forms (DSH-03, EXP-06, EXP-08, EXP-09): laid out like the paper
forms, signature cells from the current review round, access as the statement (EXP-13)."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from crm_project.core.models import ExportLog
from expenses.models import SpecialFeeApplication, SpecialFeeStatus
from expenses.services.review import statement_return, statement_sign
from expenses.services.statements import statement_create, statement_submit
from tests.customers.factories import CustomerFactory
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def october(time_machine):
    time_machine.move_to("2026-10-09 10:00 +0800", tick=False)
    return time_machine


@pytest.fixture
def statement(rep, october):
    rep.first_name, rep.last_name = "小明", "王"
    rep.save(update_fields=["first_name", "last_name"])
    module = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(module)
    purchase(fee_customer(rep, name="华东电子有限公司"), module, quantity="12", amount="1000.00", collected="600.00")
    purchase(fee_customer(rep, name="=HYPERLINK(1)", shares=("100.00",)), module, quantity="5", amount="500.00")
    return statement_create(actor=rep, month=SEPTEMBER)


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def _cells(sheet) -> list:
    """Every filled cell; amounts (read back as floats) as Decimals to the fen."""
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    return [Decimal(str(value)).quantize(Decimal("0.01")) if isinstance(value, float) else value for value in values]


def _signature_block(sheet) -> dict:
    """{label: (name, time)} from the three signature rows at the bottom of the form."""
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == "销售代表":
            labels = [(col, sheet.cell(row=row, column=col).value) for col in range(1, sheet.max_column + 1)]
            return {
                label: (sheet.cell(row=row + 1, column=col).value, sheet.cell(row=row + 2, column=col).value)
                for col, label in labels
                if label
            }
    raise AssertionError("no signature block")


def _sign_all(statement, rep, clerk, manager, finance, october):
    statement_submit(actor=rep, statement=statement)
    for moment, signer in (("09:00", clerk), ("10:00", manager), ("11:00", finance)):
        october.move_to(f"2026-10-12 {moment} +0800", tick=False)
        statement_sign(actor=signer, statement=statement)


def test_form1_is_laid_out_like_the_paper_form_with_the_signers(
    client_for, rep, clerk, manager, finance, statement, october
):
    """DSH-03, EXP-07, EXP-08: title, header, lines with contacts, totals, four signatures with names and times."""
    clerk.first_name, clerk.last_name = "文员", "李"
    clerk.save(update_fields=["first_name", "last_name"])
    _sign_all(statement, rep, clerk, manager, finance, october)
    sheet = _sheet(client_for(rep).get(f"/fees/statements/{statement.pk}/form1.xlsx"))
    assert sheet.title == "附表1"
    assert sheet["A2"].value == "2026年9月客户采购及客情费统计表"
    assert "A2:N2" in {str(merged) for merged in sheet.merged_cells.ranges}
    cells = _cells(sheet)
    for text in ("部门", "王小明", "2026年9月", "华东电子有限公司", "进口模块", "合计", "已生效（三方签字，已归档）"):
        assert text in cells, text
    # 12 units at ¥9 = 108.00, 60 % collected → 64.80; 5 units at ¥7 = 35.00 fully collected.
    assert Decimal("64.80") in cells and Decimal("35.00") in cells
    assert Decimal("99.80") in cells  # the payable total
    contacts = [sheet.cell(row=row, column=11).value for row in range(5, sheet.max_row + 1)]
    assert len([name for name in contacts if name]) == 4  # 3 contacts + 1 contact
    # user text never becomes a formula
    formula_cell = next(cell for row in sheet.iter_rows() for cell in row if cell.value == "=HYPERLINK(1)")
    assert formula_cell.data_type == "s"
    signatures = _signature_block(sheet)
    assert signatures["销售代表"] == ("王小明", "2026-10-09 10:00")
    assert signatures["销售文员"] == ("李文员", "2026-10-12 09:00")
    assert signatures["销售部经理"] == ("manager", "2026-10-12 10:00")
    assert signatures["财务部"] == ("finance", "2026-10-12 11:00")
    assert ExportLog.objects.get(name="form1").user == rep


def test_unsigned_cells_are_empty_and_a_return_clears_them(client_for, rep, clerk, manager, statement, october):
    """EXP-07: only the current round's signatures fill the form."""
    client = client_for(clerk)
    signatures = _signature_block(_sheet(client.get(f"/fees/statements/{statement.pk}/form1.xlsx")))
    assert signatures == {label: (None, None) for label in ("销售代表", "销售文员", "销售部经理", "财务部")}
    statement_submit(actor=rep, statement=statement)
    statement_sign(actor=clerk, statement=statement)
    signatures = _signature_block(_sheet(client.get(f"/fees/statements/{statement.pk}/form1.xlsx")))
    assert signatures["销售文员"][0] == "clerk" and signatures["销售部经理"] == (None, None)
    statement_return(actor=manager, statement=statement, comment="数量不对")
    signatures = _signature_block(_sheet(client.get(f"/fees/statements/{statement.pk}/form1.xlsx")))
    assert signatures["销售代表"] == (None, None) and signatures["销售文员"] == (None, None)


def _special_fee(rep, *, status=SpecialFeeStatus.APPROVED, finance_at=None, amount="800.00", name="新客户"):
    return SpecialFeeApplication.objects.create(
        rep=rep,
        customer=CustomerFactory(owner=rep, name=name),
        filed_on=datetime.date(2026, 8, 20),
        planned_contract_date=datetime.date(2026, 9, 15),
        contract_signed_on=datetime.date(2026, 9, 16),
        amount=Decimal(amount),
        purpose="首单签约活动",
        status=status,
        finance_at=finance_at,
    )


def test_form2_lists_the_special_fees_approved_in_the_month(client_for, rep, other_rep, statement):
    """EXP-06, EXP-09: approved (or paid) by finance within the month, Shanghai time; others left out."""
    _special_fee(rep, finance_at=datetime.datetime(2026, 9, 10, 15, 0, tzinfo=SHANGHAI), name="甲新客户")
    _special_fee(rep, status=SpecialFeeStatus.PAID, amount="200.00", name="乙新客户",
                 finance_at=datetime.datetime(2026, 9, 30, 23, 30, tzinfo=SHANGHAI))  # fmt: skip
    _special_fee(rep, name="十月批准", finance_at=datetime.datetime(2026, 10, 1, 0, 30, tzinfo=SHANGHAI))
    _special_fee(rep, name="待审批", status=SpecialFeeStatus.DIRECTOR_APPROVED)
    _special_fee(other_rep, name="别人的", finance_at=datetime.datetime(2026, 9, 10, tzinfo=SHANGHAI))
    sheet = _sheet(client_for(rep).get(f"/fees/statements/{statement.pk}/form2.xlsx"))
    assert sheet.title == "附表2"
    assert sheet["A2"].value == "2026年9月新客户特殊费用申请汇总表"
    cells = _cells(sheet)
    assert "甲新客户" in cells and "乙新客户" in cells and "首单签约活动" in cells and "2026-09-15" in cells
    assert "十月批准" not in cells and "待审批" not in cells and "别人的" not in cells
    assert Decimal("1000.00") in cells and "无" not in cells
    assert set(_signature_block(sheet)) == {"销售代表", "销售文员", "销售部经理", "财务部"}
    html = client_for(rep).get(f"/fees/statements/{statement.pk}/").content.decode()
    assert "甲新客户" in html and "¥1000.00" in html


def test_form2_without_special_fees_says_none(client_for, rep, statement):
    """DSH-03: an empty table with a "无" row."""
    cells = _cells(_sheet(client_for(rep).get(f"/fees/statements/{statement.pk}/form2.xlsx")))
    assert "无" in cells and "合计" in cells


def test_the_forms_are_for_those_who_may_see_the_statement(
    client_for, other_rep, outsider, gm, director, finance, statement
):
    """EXP-13: other reps, other departments and management get 404; the director and finance get the forms."""
    foreign = UserFactory(username="east-manager", department__code="sales-east", roles=["sales_manager"])
    for person in (other_rep, outsider, gm, foreign):
        for form in ("form1", "form2"):
            assert client_for(person).get(f"/fees/statements/{statement.pk}/{form}.xlsx").status_code == 404
    for person in (director, finance):
        assert _sheet(client_for(person).get(f"/fees/statements/{statement.pk}/form1.xlsx")).title == "附表1"
    assert not ExportLog.objects.filter(user__in=[other_rep, outsider, gm, foreign]).exists()


def test_form1_keeps_its_grid_formats_and_fonts_with_the_styles_made_once(client_for, rep, statement):
    """DSH-03: every cell of the table is boxed, merged blocks included (their lower edge on
    the last row they cover); headings are bold, amounts keep the money format."""
    sheet = _sheet(client_for(rep).get(f"/fees/statements/{statement.pk}/form1.xlsx"))
    blocks = [merged for merged in sheet.merged_cells.ranges if merged.min_col == 2 and merged.min_row > 4]
    assert blocks, "the customer with three contacts is one block over three rows"
    for block in blocks:
        assert sheet.cell(row=block.max_row, column=2).border.bottom.style == "thin"
        assert sheet.cell(row=block.max_row, column=2).border.left.style == "thin"
    last = max(row for row in range(1, sheet.max_row + 1) if sheet.cell(row=row, column=1).value == "合计")
    for row in range(4, last + 1):
        for col in (1, 11, 12, 13, 14):
            cell = sheet.cell(row=row, column=col)
            assert cell.border.top.style == "thin" or cell.coordinate in sheet.merged_cells, cell.coordinate
    assert all(sheet.cell(row=4, column=col).font.b for col in range(1, 15))
    assert sheet.cell(row=5, column=6).number_format == "#,##0.00"
    assert sheet.cell(row=5, column=2).alignment.horizontal == "left"
