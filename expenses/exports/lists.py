"""Excel exports of the fee lists (DSH-03): exactly the filtered rows of the page, which
start from the access selectors (EXP-13)."""

from django.utils.translation import gettext_lazy as _

from crm_project.core.exports import Column, Export


def _yes_no(value: bool) -> str:
    return str(_("yes")) if value else ""


def _late_by(statement) -> str:
    if not statement.late_by:
        return ""
    hours = int(statement.late_by.total_seconds() // 3600)
    minutes = int(statement.late_by.total_seconds() % 3600 // 60)
    return f"{hours}:{minutes:02d}"


class StatementExport(Export):
    name = "statements"
    columns = [
        Column(_("Rep"), "rep.display_name", width=14),
        Column(_("Department"), lambda s: str(s.rep.department) if s.rep.department_id else "", width=12),
        Column(_("Month"), lambda s: f"{s.month:%Y-%m}", width=10),
        Column(_("Status"), "get_status_display", width=22),
        Column(_("Review round"), "cycle", width=8),
        Column(_("Due"), "due_at", width=18),
        Column(_("Submitted"), "submitted_at", width=18),
        Column(_("Late"), lambda s: _yes_no(s.late), width=8),
        Column(_("Late by (hours:minutes)"), _late_by, width=12),
        Column(_("Review due"), "review_due_at", width=18),
        Column(_("Fee (yuan)"), "total_fee", width=14, kind="money"),
        Column(_("Payable (yuan)"), "total_payable", width=14, kind="money"),
        Column(_("Valid since"), "valid_at", width=18),
    ]


class QueueExport(StatementExport):
    name = "signature-queue"


class LedgerExport(Export):
    name = "ledger"
    columns = [
        Column(_("Posted"), "posted_at", width=18),
        Column(_("Account"), lambda e: e.account.name if e.account_id else "", width=30),
        Column(_("Kind"), "get_kind_display", width=18),
        Column(_("Fee month"), lambda e: f"{e.month:%Y-%m}", width=10),
        Column(_("Amount (yuan)"), "amount", width=14, kind="money"),
        Column(_("Rep"), "rep.display_name", width=14),
        Column(_("Customer"), lambda e: e.customer.name if e.customer_id else "", width=30),
        Column(_("Contact"), lambda e: e.contact.name if e.contact_id else "", width=14),
        Column(_("Statement"), lambda e: f"{e.statement.month:%Y-%m}" if e.statement_id else "", width=10),
        Column(_("Posted by"), "posted_by.display_name", width=14),
        Column(_("Note"), "note", width=30),
    ]
