"""What the expense application and claim pages and the API read (EXP-17), scoped by the
access registry (ORG-02): applicants their own, superiors, heads and the department's clerk
their department's, finance and management all."""

from django.db.models import Prefetch, QuerySet

from crm_project.accounts.access import visible_to

from .models import ApplicationApproval, ClaimReceipt, ExpenseApplication, ExpenseClaim


def applications_for(user) -> QuerySet[ExpenseApplication]:
    return (
        visible_to(user, ExpenseApplication)
        .select_related("applicant", "department", "category")
        .prefetch_related(Prefetch("approvals", queryset=ApplicationApproval.objects.select_related("user")))
    )


def claims_for(user) -> QuerySet[ExpenseClaim]:
    return visible_to(user, ExpenseClaim).select_related(
        "application", "application__applicant", "application__department", "application__category"
    )


def receipts_for(user) -> QuerySet[ClaimReceipt]:
    return visible_to(user, ClaimReceipt)
