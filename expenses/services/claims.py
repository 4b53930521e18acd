"""Claims after the event (EXP-17): the actual amount with receipts, filed within the working
days after the event (a late one only with finance's exception); above the approved estimate
it needs an explanation and the department head's approval; finance accepts it, which
releases the application's commitment and posts the spend against the budget (EXP-16)."""

from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.uploads import check_scan
from crm_project.notifications.services import notify
from crm_project.workdays.calendar import add_working_days

from ..models import (
    ApplicationStatus,
    BudgetEntryKind,
    ClaimReceipt,
    ClaimStatus,
    ExpenseApplication,
    ExpenseClaim,
    ExpenseSettings,
)
from ..models.common import yuan
from .budgets import Posting, post_against_budget

MAX_RECEIPTS = 20


def claim_is_late(application: ExpenseApplication, today) -> bool:
    return today > application.claim_due_by


def claim_file(
    *, actor: User, application: ExpenseApplication, amount: Decimal, explanation: str = "",
    receipts: list[UploadedFile],
) -> ExpenseClaim:  # fmt: skip
    """The applicant claims what the event cost, with its receipts (images or PDF)."""
    today = timezone.localdate()
    explanation = (explanation or "").strip()
    with transaction.atomic():
        application = ExpenseApplication.objects.select_for_update().get(pk=application.pk)
        if application.applicant_id != actor.pk:
            raise PermissionDenied(_("Only the applicant claims an expense."))
        if application.status not in (ApplicationStatus.APPROVED, ApplicationStatus.RECORDED):
            raise DomainError(
                _("Only an approved application is claimed; this one is %(status)s.")
                % {"status": application.get_status_display()}
            )
        if application.claims.exclude(status=ClaimStatus.REJECTED).exists():
            raise DomainError(_("This application already has a claim."))
        if today < application.event_date:
            raise DomainError(_("A claim is filed after the event, on %(date)s or later.")
                              % {"date": f"{application.event_date:%Y-%m-%d}"})  # fmt: skip
        late = claim_is_late(application, today)
        if late and not application.late_claim_allowed_at:
            raise DomainError(
                _("This claim was due by %(due)s, %(days)s working days after the event on %(event)s; only "
                  "finance can allow a late claim.")
                % {"due": f"{application.claim_due_by:%Y-%m-%d}", "event": f"{application.event_date:%Y-%m-%d}",
                   "days": ExpenseSettings.load().claim_working_days}
            )  # fmt: skip
        if amount is None or amount <= 0:
            raise DomainError(_("Enter the actual amount in yuan."), field="amount")
        above = amount > application.estimated_cost
        if above and not explanation:
            raise DomainError(
                _("%(amount)s is above the approved estimate of %(estimate)s: explain why.")
                % {"amount": yuan(amount), "estimate": yuan(application.estimated_cost)},
                field="explanation",
            )
        checked = _checked_receipts(receipts)
        claim = ExpenseClaim.objects.create(
            application=application, amount=amount, explanation=explanation[:2000], filed_by=actor,
            due_by=application.claim_due_by, late=late, above_estimate=above,
        )  # fmt: skip
        for upload, kind in checked:
            ClaimReceipt.objects.create(
                claim=claim, file=upload, name=upload.name[:200], content_type=kind.content_type
            )
        if above:
            transaction.on_commit(lambda: notify_head(claim.pk))
    return claim


def _checked_receipts(receipts) -> list:
    receipts = [upload for upload in receipts or [] if upload]
    if not receipts:
        raise DomainError(_("Attach the receipts (images or PDF)."), field="receipts")
    if len(receipts) > MAX_RECEIPTS:
        raise DomainError(_("Attach at most %(count)s receipts.") % {"count": MAX_RECEIPTS}, field="receipts")
    max_mb = ExpenseSettings.load().receipt_max_mb
    checked = []
    for upload in receipts:
        try:
            checked.append((upload, check_scan(upload, max_mb=max_mb)))
        except DomainError as error:
            raise DomainError(f"{upload.name}: {error.message}", field="receipts") from None
    return checked


def _locked(claim: ExpenseClaim) -> ExpenseClaim:
    return (
        ExpenseClaim.objects.select_for_update(of=("self",))
        .select_related("application", "application__department", "application__category")
        .get(pk=claim.pk)
    )


def is_head_of(user: User, claim: ExpenseClaim) -> bool:
    return user.pk == claim.application.department.head_id and user.pk != claim.application.applicant_id


def needs_head(claim: ExpenseClaim) -> bool:
    return claim.status == ClaimStatus.FILED and claim.above_estimate


def claim_approve(*, actor: User, claim: ExpenseClaim) -> ExpenseClaim:
    """The department head approves an amount above the estimate (EXP-17)."""
    with transaction.atomic():
        claim = _locked(claim)
        if not is_head_of(actor, claim):
            raise PermissionDenied(_("Only the head of the applicant's department approves a claim."))
        if not needs_head(claim):
            raise DomainError(_("This claim waits for no approval of the department head."))
        claim.status, claim.head_approved_by, claim.head_approved_at = ClaimStatus.APPROVED, actor, timezone.now()
        claim.save(update_fields=["status", "head_approved_by", "head_approved_at"])
    return claim


def claim_accept(*, actor: User, claim: ExpenseClaim) -> ExpenseClaim:
    """Finance accepts the claim: the estimate's commitment is released and the actual amount
    spent, checked against the budget (an amount above the estimate needs room for the rest)."""
    with transaction.atomic():
        claim = _locked(claim)
        application = claim.application
        if not actor.has_role(Role.FINANCE):
            raise PermissionDenied(_("Only finance accepts claims."))
        if actor.pk == application.applicant_id:
            raise PermissionDenied(_("Nobody accepts their own claim."))
        if needs_head(claim):
            raise DomainError(_("The amount is above the estimate: the department head approves it first."))
        if claim.status not in (ClaimStatus.FILED, ClaimStatus.APPROVED):
            raise DomainError(_("This claim is %(status)s.") % {"status": claim.get_status_display()})
        if application.status != ApplicationStatus.RECORDED:
            raise DomainError(_("Record the application first, then accept its claim."))
        post_against_budget(
            department=application.department, category=application.category, year=application.event_date.year,
            postings=[Posting(BudgetEntryKind.RELEASE, -application.estimated_cost),
                      Posting(BudgetEntryKind.SPEND, claim.amount)],
            day=application.event_date, person=application.applicant, posted_by=actor, application=application,
            claim=claim,
        )  # fmt: skip
        claim.status, claim.accepted_by, claim.accepted_at = ClaimStatus.ACCEPTED, actor, timezone.now()
        claim.save(update_fields=["status", "accepted_by", "accepted_at"])
        transaction.on_commit(lambda: notify_applicant(claim.pk, "accepted"))
    return claim


def claim_reject(*, actor: User, claim: ExpenseClaim, comment: str) -> ExpenseClaim:
    """The head (while it waits for them) or finance rejects a claim; the applicant may file
    it again, within the deadline."""
    text = (comment or "").strip()
    if not text:
        raise DomainError(_("Say why it is rejected."), field="comment")
    with transaction.atomic():
        claim = _locked(claim)
        if claim.status not in (ClaimStatus.FILED, ClaimStatus.APPROVED):
            raise DomainError(_("This claim is %(status)s.") % {"status": claim.get_status_display()})
        finance = actor.has_role(Role.FINANCE) and actor.pk != claim.application.applicant_id
        if not (finance or (needs_head(claim) and is_head_of(actor, claim))):
            raise PermissionDenied(_("Only the department head or finance rejects a claim."))
        claim.status, claim.rejected_by, claim.rejected_at = ClaimStatus.REJECTED, actor, timezone.now()
        claim.comment = text[:2000]
        claim.save(update_fields=["status", "rejected_by", "rejected_at", "comment"])
        transaction.on_commit(lambda: notify_applicant(claim.pk, "rejected"))
    return claim


# --- notifications ----------------------------------------------------------------------------


def claim_url(claim: ExpenseClaim) -> str:
    return f"/fees/claims/{claim.pk}/"


def notify_head(claim_id: int) -> None:
    claim = ExpenseClaim.objects.select_related("application__applicant", "application__department__head").get(
        pk=claim_id
    )
    head = claim.application.department.head
    if head is None or head.pk == claim.application.applicant_id:
        return
    notify(
        recipient=head,
        key=f"expense-claim:{claim.pk}:head",
        title=gettext_lazy("A claim above its estimate waits for your approval"),
        body=gettext_lazy("%(applicant)s claims %(amount)s against an estimate of %(estimate)s: %(explanation)s"),
        params={"applicant": claim.application.applicant.display_name, "amount": yuan(claim.amount),
                "estimate": yuan(claim.application.estimated_cost), "explanation": claim.explanation},
        url=claim_url(claim),
        kind="expense_claim",
    )  # fmt: skip


CLAIM_NOTICES = {
    "accepted": gettext_lazy("Your expense claim is accepted"),
    "rejected": gettext_lazy("Your expense claim is rejected"),
}


def notify_applicant(claim_id: int, what: str) -> None:
    claim = ExpenseClaim.objects.select_related("application__applicant").get(pk=claim_id)
    notify(
        recipient=claim.application.applicant,
        key=f"expense-claim:{claim.pk}:{what}",
        title=CLAIM_NOTICES[what],
        body=gettext_lazy("%(amount)s for %(guest)s on %(date)s. %(comment)s"),
        params={"amount": yuan(claim.amount), "guest": claim.application.guest,
                "date": claim.application.event_date, "comment": claim.comment},
        url=claim_url(claim),
        kind="expense_claim",
    )  # fmt: skip


def remind_claims_due(today) -> int:
    """Remind each applicant whose claim is due within the next working days (EXP-17), once
    per application (JOB-09)."""
    days = ExpenseSettings.load().claim_reminder_working_days
    horizon = add_working_days(today, days)
    sent = 0
    due = (
        ExpenseApplication.objects.filter(
            status__in=(ApplicationStatus.APPROVED, ApplicationStatus.RECORDED),
            claim_due_by__gte=today, claim_due_by__lte=horizon, event_date__lte=today,
        )
        .exclude(claims__status__in=(ClaimStatus.FILED, ClaimStatus.APPROVED, ClaimStatus.ACCEPTED))
        .select_related("applicant")
    )  # fmt: skip
    for application in due:
        notification = notify(
                recipient=application.applicant,
                key=f"expense-claim-due:{application.pk}",
                title=gettext_lazy("Claim your expense by %(due)s"),
                body=gettext_lazy(
                    "%(guest)s (%(organisation)s) on %(date)s: the claim with its receipts is due by %(due)s."
                ),
                params={
                    "due": application.claim_due_by,
                    "guest": application.guest,
                    "organisation": application.organisation,
                    "date": application.event_date,
                },
            url=f"/fees/applications/{application.pk}/",
            kind="expense_claim_due",
        )  # fmt: skip
        sent += notification is not None
    return sent
