"""Importing purchases from Excel (CUS-10, CUS-12): one row per customer, product and month.
The rows pass exactly the checks of the ERP's bulk upsert; a row for a month already
recorded updates it, and one of a frozen month is posted as a late correction. Like the
upsert, for the sales clerk and finance, never a rep (EXP-04)."""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from ..models import PurchaseSource
from ..permissions import may_feed_purchases
from ..services.purchase_freeze import lock_purchase_months
from ..services.purchase_rows import lock_purchase_upserts, purchase_rows_check, purchase_rows_write
from . import CheckResult, Column, error

COLUMNS = (
    Column("customer", "客户编码", "customer code", True, "C000123", _("The customer's code, as on the customer page."),
           aliases=("customer_code",)),
    Column("product", "品种编码", "product code", True, "P-SENSOR", _("The product's code; see the list below."),
           aliases=("product_code",)),
    Column("month", "月份", "month", True, "2026-09", _("The month, as YYYY-MM (or any date in the month).")),
    Column("quantity", "数量", "quantity", True, 12, _("Not negative, at most two decimals.")),
    Column("amount", "金额", "amount", True, "1200.00", _("Yuan, to the fen.")),
    Column("returned_quantity", "退货数量", "quantity returned", False, 0, _("Blank is 0; at most the quantity.")),
    Column("returned_amount", "退货金额", "amount returned", False, "0.00", _("Blank is 0; at most the amount.")),
    Column("collected_amount", "回款金额", "amount collected", False, "1200.00", _("Blank is 0.")),
    Column("external_ref", "外部编号", "external reference", False, "", _("Optional: the ERP's number of this row.")),
)  # fmt: skip


class PurchaseImporter:
    kind = "purchases"
    columns = COLUMNS

    def may_import(self, actor) -> bool:
        return may_feed_purchases(actor)

    def check(self, *, actor, rows: list[tuple[int, dict]]) -> CheckResult:
        # When applying, the check runs again in the writing transaction: from here on no
        # month may freeze under it (taken before the upsert lock, as the upsert does).
        lock_purchase_months()
        planned, errors = purchase_rows_check(actor=actor, rows=rows, require_ref=False)
        return CheckResult(
            total_rows=len(rows),
            errors=[error(e.index, e.field, e.message) for e in errors],
            good_rows=len(planned),
            plan=planned,
        )

    def apply(self, *, actor, result: CheckResult, progress: Callable[[int], None]) -> tuple[int, int]:
        lock_purchase_upserts()
        counts = purchase_rows_write(actor=actor, planned=result.plan, source=PurchaseSource.IMPORT, progress=progress)
        return counts["created"], counts["updated"]


importer = PurchaseImporter()
