"""List exports for special fees, advances, sign-off sheets and the finance page. Each is
given the page's already scoped and filtered rows (ORG-02, EXP-13)."""

from django.utils.translation import gettext_lazy as _

from crm_project.core.exports import Column, Export


class SpecialFeeExport(Export):
    name = "special-fees"
    columns = [
        Column(_("Filed on"), "filed_on", width=12),
        Column(_("Rep"), "rep.display_name", width=12),
        Column(_("Customer code"), "customer.code", width=12),
        Column(_("Customer"), "customer.name", width=30),
        Column(_("Planned contract date"), "planned_contract_date", width=14),
        Column(_("Contract signed on"), "contract_signed_on", width=14),
        Column(_("Amount (yuan)"), "amount", width=14, kind="money"),
        Column(_("Purpose"), "purpose", width=40),
        Column(_("Status"), "get_status_display", width=20),
        Column(_("Manager"), lambda a: a.manager.display_name if a.manager_id else "", width=12),
        Column(_("Manager approved at"), "manager_at", width=18),
        Column(_("Director"), lambda a: a.director.display_name if a.director_id else "", width=12),
        Column(_("Director approved at"), "director_at", width=18),
        Column(_("Finance"), lambda a: a.finance.display_name if a.finance_id else "", width=12),
        Column(_("Finance approved at"), "finance_at", width=18),
        Column(_("Paid at"), "paid_at", width=18),
        Column(_("Note"), "decided_note", width=30),
    ]

    def objects(self, queryset):
        return queryset.select_related("rep", "customer", "manager", "director", "finance").iterator(
            chunk_size=self.chunk_size
        )


class AdvanceExport(Export):
    name = "advances"
    columns = [
        Column(_("Requested at"), "requested_at", width=18),
        Column(_("Rep"), "rep.display_name", width=12),
        Column(_("Statement month"), lambda a: f"{a.statement.month:%Y-%m}", width=10),
        Column(_("Amount (yuan)"), "amount", width=14, kind="money"),
        Column(_("Status"), "get_status_display", width=18),
        Column(_("Paid by"), lambda a: a.paid_by.display_name if a.paid_by_id else "", width=12),
        Column(_("Paid at"), "paid_at", width=18),
        Column(_("Note"), "note", width=30),
    ]

    def objects(self, queryset):
        return queryset.select_related("rep", "statement", "paid_by").iterator(chunk_size=self.chunk_size)


class OutstandingByRepExport(Export):
    """Rows are dicts: rep name, number and total of paid, unsettled advances."""

    name = "advances-outstanding"
    columns = [
        Column(_("Rep"), lambda r: r["name"], width=16),
        Column(_("Advances outstanding"), lambda r: r["count"], width=12),
        Column(_("Outstanding (yuan)"), lambda r: r["total"], width=16, kind="money"),
        Column(_("Still available (yuan)"), lambda r: r["available"], width=16, kind="money"),
    ]

    def objects(self, rows):
        return rows


class SignoffSheetExport(Export):
    name = "signoff-sheets"
    columns = [
        Column(_("Month"), lambda s: f"{s.statement.month:%Y-%m}", width=10),
        Column(_("Rep"), "statement.rep.display_name", width=12),
        Column(_("Customer"), "contact.customer.name", width=30),
        Column(_("Contact"), "contact.name", width=14),
        Column(_("Amount (yuan)"), "amount", width=14, kind="money"),
        Column(_("Paid out at"), "paid_at", width=18),
        Column(_("Confirmation"), "get_method_display", width=20),
        Column(_("Confirmed at"), "confirmed_at", width=18),
        Column(_("Spot-checked by"), lambda s: s.spot_checked_by.display_name if s.spot_checked_by_id else "",
               width=12),
        Column(_("Handed to finance"), "submitted_to_finance_at", width=18),
        Column(_("Written off (yuan)"), "written_off_amount", width=14, kind="money"),
        Column(_("Written off at"), "written_off_at", width=18),
        Column(_("Written off by"), lambda s: s.written_off_by.display_name if s.written_off_by_id else "", width=12),
    ]  # fmt: skip

    def objects(self, queryset):
        return queryset.select_related(
            "statement__rep", "contact__customer", "spot_checked_by", "written_off_by"
        ).iterator(chunk_size=self.chunk_size)


class ClawbackExport(Export):
    name = "claw-backs"
    columns = [
        Column(_("Posted at"), "posted_at", width=18),
        Column(_("Rep"), "rep.display_name", width=12),
        Column(_("Customer"), lambda e: e.customer.name if e.customer_id else "", width=30),
        Column(_("Account"), lambda e: e.account.name if e.account_id else "", width=30),
        Column(_("Purchase month"), lambda e: f"{e.month:%Y-%m}", width=10),
        Column(_("Amount (yuan)"), "amount", width=14, kind="money"),
        Column(_("Against statement"), lambda e: f"{e.statement.month:%Y-%m}" if e.statement_id else "", width=12),
        Column(_("Note"), "note", width=50),
    ]

    def objects(self, queryset):
        return queryset.select_related("rep", "customer", "account", "statement").iterator(chunk_size=self.chunk_size)
