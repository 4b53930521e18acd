"""List exports of expense applications and claims, from the page's scoped, filtered rows (EXP-17)."""

from django.utils.translation import gettext_lazy as _

from crm_project.core.exports import Column, Export


class ExpenseApplicationExport(Export):
    name = "expense-applications"
    columns = [
        Column(_("Filed on"), "filed_on", width=12),
        Column(_("Applicant"), "applicant.display_name", width=12),
        Column(_("Department"), "department.name", width=14),
        Column(_("Category"), "category.name", width=14),
        Column(_("Date of the event"), "event_date", width=12),
        Column(_("Guest"), "guest", width=20),
        Column(_("Organisation"), "organisation", width=24),
        Column(_("Number of persons"), "persons", width=8),
        Column(_("Estimated cost (yuan)"), "estimated_cost", width=14, kind="money"),
        Column(_("Above the meal cap"), lambda a: _("yes") if a.above_cap else "", width=8),
        Column(_("Status"), "get_status_display", width=18),
        Column(_("Claim due by"), "claim_due_by", width=12),
    ]

    def objects(self, queryset):
        return queryset.select_related("applicant", "department", "category").iterator(chunk_size=self.chunk_size)


class ExpenseClaimExport(Export):
    name = "expense-claims"
    columns = [
        Column(_("Filed at"), "filed_at", width=18),
        Column(_("Applicant"), "application.applicant.display_name", width=12),
        Column(_("Department"), "application.department.name", width=14),
        Column(_("Category"), "application.category.name", width=14),
        Column(_("Date of the event"), "application.event_date", width=12),
        Column(_("Guest"), "application.guest", width=20),
        Column(_("Estimated cost (yuan)"), "application.estimated_cost", width=14, kind="money"),
        Column(_("Actual amount (yuan)"), "amount", width=14, kind="money"),
        Column(_("Explanation"), "explanation", width=30),
        Column(_("Status"), "get_status_display", width=18),
        Column(_("Due by"), "due_by", width=12),
    ]

    def objects(self, queryset):
        return queryset.select_related(
            "application", "application__applicant", "application__department", "application__category"
        ).iterator(chunk_size=self.chunk_size)
