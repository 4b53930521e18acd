"""Finance's page `/fees/finance/` (EXP-10, EXP-11, EXP-12, EXP-09): advances to pay and
outstanding by rep, payouts handed in to write off, claw-backs due and posted, and special fees
to pay — each exportable to Excel (`?export=advances|outstanding|payouts|clawbacks`). A fixed
number of queries whatever the number of rows."""

from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import render
from django.urls import path

from crm_project.accounts.roles import Role
from crm_project.core.exports import xlsx_response
from customers.models import Customer, Product

from ..exports.finance import AdvanceExport, ClawbackExport, OutstandingByRepExport, SignoffSheetExport
from ..forms_payout import WriteOffForm
from ..models import AdvanceStatus, EntryKind, FeeSettings, SpecialFeeStatus, Statement
from ..models.common import ZERO
from ..selectors import (
    advance_visible_to,
    ledger_entry_visible_to,
    signoff_sheet_visible_to,
    special_fee_visible_to,
)
from ..services.clawbacks import clawbacks_due
from ..services.signoff import payout_deadlines

PAGE_SIZE = 50


def _to_write_off(user):
    return (
        signoff_sheet_visible_to(user)
        .filter(submitted_to_finance_at__isnull=False, written_off_at__isnull=True)
        .select_related("statement", "statement__rep", "contact", "contact__customer", "spot_checked_by")
        .order_by("statement__month", "submitted_to_finance_at", "pk")
    )


def _outstanding_by_rep(user) -> list[dict]:
    """Paid, unsettled advances per rep (EXP-10), in one query."""
    cap = FeeSettings.load().advance_cap
    rows = list(
        advance_visible_to(user)
        .filter(status=AdvanceStatus.PAID)
        .values("rep_id", "rep__username", "rep__first_name", "rep__last_name")
        .annotate(count=Count("pk"), total=Sum("amount"))
        .order_by("-total", "rep__username")
    )
    for row in rows:
        row["name"] = f"{row['rep__last_name']}{row['rep__first_name']}".strip() or row["rep__username"]
        row["available"] = max(ZERO, cap - row["total"])
    return rows


def _clawbacks_posted(user):
    return (
        ledger_entry_visible_to(user)
        .filter(kind=EntryKind.CLAW_BACK)
        .select_related("rep", "customer", "account", "statement")
        .order_by("-posted_at", "-pk")
    )


def _clawbacks_due_rows() -> list:
    dues = clawbacks_due()
    customers = Customer.objects.in_bulk({d.customer_id for d in dues})
    products = Product.objects.in_bulk({d.product_id for d in dues})
    statements = Statement.objects.select_related("rep").in_bulk({d.statement_id for d in dues})
    for due in dues:
        due.customer = customers[due.customer_id]
        due.product = products[due.product_id]
        due.statement = statements[due.statement_id]
    return dues


def finance_page(request):
    user = request.user
    if not (user.has_role(Role.FINANCE) or user.is_superuser):
        raise Http404
    export = request.GET.get("export")
    if export == "advances":
        return xlsx_response(AdvanceExport(), advance_visible_to(user).filter(status=AdvanceStatus.PAID), user=user,
                             query="export=advances")  # fmt: skip
    if export == "outstanding":
        return xlsx_response(OutstandingByRepExport(), _outstanding_by_rep(user), user=user, query="export=outstanding")
    if export == "payouts":
        return xlsx_response(SignoffSheetExport(), _to_write_off(user), user=user, query="export=payouts")
    if export == "clawbacks":
        return xlsx_response(ClawbackExport(), _clawbacks_posted(user), user=user, query="export=clawbacks")
    page = Paginator(_to_write_off(user), PAGE_SIZE).get_page(request.GET.get("page"))
    deadlines = {}
    for sheet in page.object_list:
        month = sheet.statement.month
        if month not in deadlines:
            deadlines[month] = payout_deadlines(month)
        sheet.writeoff_due = deadlines[month].writeoff
    outstanding = _outstanding_by_rep(user)
    return render(
        request,
        "expenses/finance_page.html",
        {
            "advances_to_pay": list(
                advance_visible_to(user)
                .filter(status=AdvanceStatus.REQUESTED)
                .select_related("rep", "statement")
                .order_by("requested_at")
            ),
            "outstanding": outstanding,
            "outstanding_total": sum((row["total"] for row in outstanding), start=ZERO),
            "cap": FeeSettings.load().advance_cap,
            "to_write_off": page,
            "write_off_form": WriteOffForm(),
            "clawbacks_due": _clawbacks_due_rows(),
            "clawbacks_posted": list(_clawbacks_posted(user)[:PAGE_SIZE]),
            "special_fees_to_pay": list(
                special_fee_visible_to(user)
                .filter(status=SpecialFeeStatus.APPROVED)
                .select_related("rep", "customer")
                .order_by("finance_at")
            ),
        },
    )


urlpatterns = [path("finance/", finance_page, name="finance")]
