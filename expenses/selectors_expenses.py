"""What the expense application and claim pages and the API read (EXP-17), scoped by the
access registry (ORG-02): applicants their own, superiors, heads and the department's clerk
their department's, finance and management all."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from crm_project.accounts.access import may_approve_as_management, visible_to

from .models import (
    ApplicationApproval,
    ApplicationStatus,
    ApprovalRole,
    ClaimReceipt,
    ClaimStatus,
    ExpenseApplication,
    ExpenseClaim,
)


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


# --- the queues (EXP-17): each a query, so a page of them costs the same whatever the rows ----


def _given(role: str) -> Exists:
    return Exists(ApplicationApproval.objects.filter(application=OuterRef("pk"), role=role))


def applications_waiting_for(user) -> QuerySet[ExpenseApplication]:
    """Pending applications whose next missing approval is this user's to give (the rule of
    `services.applications.missing_steps` and `may_give`, as a query), oldest first."""
    superior = Q(superior=user) & ~_given(ApprovalRole.SUPERIOR)
    head = (
        Q(above_cap=True, department__head=user) & _given(ApprovalRole.SUPERIOR) & ~_given(ApprovalRole.DEPARTMENT_HEAD)
    )
    waiting = superior | head
    if may_approve_as_management(user, "expense_above_cap"):
        waiting |= (
            Q(above_cap=True)
            & _given(ApprovalRole.SUPERIOR)
            & _given(ApprovalRole.DEPARTMENT_HEAD)
            & ~_given(ApprovalRole.GENERAL_MANAGER)
        )
    return (
        applications_for(user)
        .filter(waiting, status=ApplicationStatus.PENDING)
        .exclude(applicant=user)
        .order_by("filed_on", "pk")
    )


def claims_waiting_for_head(user) -> QuerySet[ExpenseClaim]:
    """Claims above their estimate waiting for this user as the applicant's department head."""
    return (
        claims_for(user)
        .filter(status=ClaimStatus.FILED, above_estimate=True, application__department__head=user)
        .exclude(application__applicant=user)
        .order_by("filed_at", "pk")
    )


def applications_to_record(user) -> QuerySet[ExpenseApplication]:
    """Finance's: approved applications not yet recorded (never the user's own), oldest first."""
    return (
        applications_for(user)
        .filter(status=ApplicationStatus.APPROVED)
        .exclude(applicant=user)
        .order_by("filed_on", "pk")
    )


def claims_to_accept(user) -> QuerySet[ExpenseClaim]:
    """Finance's: claims of recorded applications that wait for no head, oldest first."""
    return (
        claims_for(user)
        .filter(application__status=ApplicationStatus.RECORDED)
        .filter(Q(status=ClaimStatus.APPROVED) | Q(status=ClaimStatus.FILED, above_estimate=False))
        .exclude(application__applicant=user)
        .order_by("filed_at", "pk")
    )


def applications_to_claim(user) -> QuerySet[ExpenseApplication]:
    """The user's approved applications with no claim filed yet (or only rejected ones), the
    nearest claim deadline first."""
    open_claim = ExpenseClaim.objects.filter(application=OuterRef("pk")).exclude(status=ClaimStatus.REJECTED)
    return (
        applications_for(user)
        .filter(applicant=user, status__in=(ApplicationStatus.APPROVED, ApplicationStatus.RECORDED))
        .exclude(Exists(open_claim))
        .order_by("claim_due_by", "pk")
    )
