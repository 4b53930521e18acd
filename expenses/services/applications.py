"""Expense applications before the event (EXP-17).

Filed by anyone with a direct superior, on or before the event's date. The superior approves;
a business meal above the cap per person also needs the department head and then the general
manager. The last approval commits the estimate against the department's budget (EXP-16),
refused with what remains if it does not fit; finance then records the application."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.access import may_approve_as_management
from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.services import notify
from crm_project.workdays.calendar import add_working_days

from ..models import (
    ApplicationApproval,
    ApplicationStatus,
    ApprovalRole,
    BudgetEntryKind,
    ExpenseApplication,
    ExpenseCategory,
    ExpenseSettings,
)
from ..models.common import yuan
from .budgets import Posting, post_against_budget

STEPS = (ApprovalRole.SUPERIOR, ApprovalRole.DEPARTMENT_HEAD, ApprovalRole.GENERAL_MANAGER)


def per_person(estimated_cost: Decimal, persons: int) -> Decimal:
    return estimated_cost / persons


def is_above_cap(category: ExpenseCategory, estimated_cost: Decimal, persons: int) -> bool:
    """EXP-17: ¥200 per person per meal is allowed; a fen more needs the extra approvals."""
    return (
        category.meal_cap_applies and per_person(estimated_cost, persons) > ExpenseSettings.load().meal_cap_per_person
    )


def required_steps(application: ExpenseApplication) -> list[str]:
    steps = [ApprovalRole.SUPERIOR]
    if application.above_cap:
        steps += [ApprovalRole.DEPARTMENT_HEAD, ApprovalRole.GENERAL_MANAGER]
    return steps


def missing_steps(application: ExpenseApplication) -> list[str]:
    """The approvals still needed, in order (the API's `needs`). Reads `approvals` as
    prefetched when it is."""
    if application.status != ApplicationStatus.PENDING:
        return []
    given = {approval.role for approval in application.approvals.all()}
    return [step for step in required_steps(application) if step not in given]


def may_give(user: User, application: ExpenseApplication, step: str) -> bool:
    """May `user` give this approval? Nobody approves their own application."""
    if user.pk == application.applicant_id or not user.is_active:
        return False
    if step == ApprovalRole.SUPERIOR:
        return user.pk == application.superior_id
    if step == ApprovalRole.DEPARTMENT_HEAD:
        return user.pk == application.department.head_id
    return may_approve_as_management(user, "expense_above_cap")


def _text(value, *, field: str, label, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(_("Enter the %(what)s.") % {"what": label}, field=field)
    if len(text) > limit:
        raise DomainError(_("Keep the %(what)s under %(limit)s characters.") % {"what": label, "limit": limit},
                          field=field)  # fmt: skip
    return text


def application_file(
    *, actor: User, category: ExpenseCategory, event_date, guest: str, organisation: str, reason: str,
    persons: int, estimated_cost: Decimal,
) -> ExpenseApplication:  # fmt: skip
    """File an application before the event; its direct superior is asked to approve."""
    today = timezone.localdate()
    if not category.applications:
        raise DomainError(_("%(category)s is not spent through applications.") % {"category": category},
                          field="category")  # fmt: skip
    if event_date < today:
        raise DomainError(
            _("An application is filed before the event: the event on %(date)s has already taken place.")
            % {"date": f"{event_date:%Y-%m-%d}"},
            field="event_date",
        )
    if actor.department_id is None:
        raise DomainError(_("You belong to no department, so there is no budget to spend from."))
    superior = actor.superior
    if superior is None or not superior.is_active or superior.pk == actor.pk:
        raise DomainError(_("You have no direct superior to approve this: ask the administrator to set one."))
    if persons is None or persons < 1:
        raise DomainError(_("At least one person takes part."), field="persons")
    if estimated_cost is None or estimated_cost <= 0:
        raise DomainError(_("Enter the estimated cost in yuan."), field="estimated_cost")
    with transaction.atomic():
        application = ExpenseApplication.objects.create(
            applicant=actor, department_id=actor.department_id, category=category, filed_on=today,
            event_date=event_date, guest=_text(guest, field="guest", label=_("guest"), limit=200),
            organisation=_text(organisation, field="organisation", label=_("organisation"), limit=200),
            reason=_text(reason, field="reason", label=_("reason"), limit=2000), persons=persons,
            estimated_cost=estimated_cost, above_cap=is_above_cap(category, estimated_cost, persons),
            superior=superior,
            claim_due_by=add_working_days(event_date, ExpenseSettings.load().claim_working_days),
        )  # fmt: skip
        transaction.on_commit(lambda: notify_next_approver(application.pk))
    return application


def _locked(application: ExpenseApplication) -> ExpenseApplication:
    return (
        ExpenseApplication.objects.select_for_update(of=("self",))
        .select_related("applicant", "department", "category", "superior")
        .get(pk=application.pk)
    )


def application_approve(*, actor: User, application: ExpenseApplication) -> ExpenseApplication:
    """Give the next approval (and each one after it this actor may also give); the last one
    commits the estimate against the budget."""
    with transaction.atomic():
        application = _locked(application)
        if application.status != ApplicationStatus.PENDING:
            raise DomainError(
                _("Only a pending application is approved; this one is %(status)s.")
                % {"status": application.get_status_display()}
            )
        missing = missing_steps(application)
        given = []
        for step in missing:
            if not may_give(actor, application, step):
                break
            given.append(step)
        if not given:
            if any(may_give(actor, application, step) for step in missing):
                raise DomainError(
                    _("It waits for the %(role)s's approval first.") % {"role": ApprovalRole(missing[0]).label}
                )
            raise PermissionDenied(_("This application is not yours to approve."))
        ApplicationApproval.objects.bulk_create(
            ApplicationApproval(application=application, role=step, user=actor) for step in given
        )
        if len(given) == len(missing):
            post_against_budget(
                department=application.department, category=application.category,
                year=application.event_date.year,
                postings=[Posting(BudgetEntryKind.COMMITMENT, application.estimated_cost)],
                day=application.event_date, person=application.applicant, posted_by=actor, application=application,
            )  # fmt: skip
            application.status = ApplicationStatus.APPROVED
            application.save(update_fields=["status"])
            transaction.on_commit(lambda: notify_applicant(application.pk, "approved"))
        else:
            transaction.on_commit(lambda: notify_next_approver(application.pk))
    return application


def _comment(comment: str) -> str:
    text = (comment or "").strip()
    if not text:
        raise DomainError(_("Say why it is rejected."), field="comment")
    return text[:2000]


def application_reject(*, actor: User, application: ExpenseApplication, comment: str) -> ExpenseApplication:
    """A pending application is rejected by whoever's approval it waits for; an approved one
    without an accepted claim by finance, which releases its commitment."""
    comment = _comment(comment)
    with transaction.atomic():
        application = _locked(application)
        if application.status == ApplicationStatus.PENDING:
            missing = missing_steps(application)
            if not (missing and may_give(actor, application, missing[0])):
                raise PermissionDenied(_("Only the approver it waits for may reject this application."))
        elif application.status in (ApplicationStatus.APPROVED, ApplicationStatus.RECORDED):
            if not actor.has_role(Role.FINANCE) or actor.pk == application.applicant_id:
                raise PermissionDenied(_("Only finance withdraws an approved application."))
            if application.claims.exclude(status="rejected").exists():
                raise DomainError(_("A claim of this application is open or accepted: decide on the claim instead."))
            post_against_budget(
                department=application.department, category=application.category,
                year=application.event_date.year,
                postings=[Posting(BudgetEntryKind.RELEASE, -application.estimated_cost)],
                day=application.event_date, person=application.applicant, posted_by=actor, application=application,
            )  # fmt: skip
        else:
            raise DomainError(_("This application is already rejected."))
        application.status, application.rejected_by, application.rejected_at = (
            ApplicationStatus.REJECTED, actor, timezone.now(),
        )  # fmt: skip
        application.comment = comment
        application.save(update_fields=["status", "rejected_by", "rejected_at", "comment"])
        transaction.on_commit(lambda: notify_applicant(application.pk, "rejected"))
    return application


def _finance(actor: User, application: ExpenseApplication) -> None:
    if not actor.has_role(Role.FINANCE):
        raise PermissionDenied(_("Only finance does this."))
    if actor.pk == application.applicant_id:
        raise PermissionDenied(_("Nobody records their own expenses."))


def application_record(*, actor: User, application: ExpenseApplication) -> ExpenseApplication:
    """Finance records an approved application (EXP-17)."""
    with transaction.atomic():
        application = _locked(application)
        _finance(actor, application)
        if application.status != ApplicationStatus.APPROVED:
            raise DomainError(
                _("Only an approved application is recorded; this one is %(status)s.")
                % {"status": application.get_status_display()}
            )
        application.status, application.recorded_by, application.recorded_at = (
            ApplicationStatus.RECORDED, actor, timezone.now(),
        )  # fmt: skip
        application.save(update_fields=["status", "recorded_by", "recorded_at"])
    return application


def application_allow_late_claim(*, actor: User, application: ExpenseApplication, reason: str) -> ExpenseApplication:
    """Finance's exception to the claim deadline, with its reason (EXP-17)."""
    text = (reason or "").strip()
    if not text:
        raise DomainError(_("Say why a late claim is allowed."), field="reason")
    with transaction.atomic():
        application = _locked(application)
        _finance(actor, application)
        if application.status not in (ApplicationStatus.APPROVED, ApplicationStatus.RECORDED):
            raise DomainError(_("Only an approved application is claimed."))
        application.late_claim_reason, application.late_claim_allowed_by = text[:2000], actor
        application.late_claim_allowed_at = timezone.now()
        application.save(update_fields=["late_claim_reason", "late_claim_allowed_by", "late_claim_allowed_at"])
    return application


# --- notifications ----------------------------------------------------------------------------


def application_url(application: ExpenseApplication) -> str:
    return f"/fees/applications/{application.pk}/"


def approver_for(application: ExpenseApplication, step: str) -> list[User]:
    if step == ApprovalRole.SUPERIOR:
        return [application.superior] if application.superior else []
    if step == ApprovalRole.DEPARTMENT_HEAD:
        return [application.department.head] if application.department.head else []
    return [
        user
        for user in User.objects.filter(is_active=True, groups__name=Role.MANAGEMENT).exclude(
            pk=application.applicant_id
        )
        if may_approve_as_management(user, "expense_above_cap")
    ]


def notify_next_approver(application_id: int) -> None:
    application = ExpenseApplication.objects.select_related("applicant", "department__head", "superior").get(
        pk=application_id
    )
    missing = missing_steps(application)
    if not missing:
        return
    for user in approver_for(application, missing[0]):
        notify(
            recipient=user,
            key=f"expense-application:{application.pk}:{missing[0]}:{user.pk}",
            title=gettext_lazy("An expense application waits for your approval"),
            body=gettext_lazy("%(applicant)s: %(guest)s (%(organisation)s) on %(date)s, estimated %(amount)s."),
            params={"applicant": application.applicant.display_name, "guest": application.guest,
                    "organisation": application.organisation, "date": application.event_date,
                    "amount": yuan(application.estimated_cost)},
            url=application_url(application),
            kind="expense_application",
        )  # fmt: skip


NOTICES = {
    "approved": gettext_lazy("Your expense application is approved"),
    "rejected": gettext_lazy("Your expense application is rejected"),
}


def notify_applicant(application_id: int, what: str) -> None:
    application = ExpenseApplication.objects.select_related("applicant").get(pk=application_id)
    notify(
        recipient=application.applicant,
        key=f"expense-application:{application.pk}:{what}",
        title=NOTICES[what],
        body=gettext_lazy("%(guest)s (%(organisation)s) on %(date)s. %(comment)s"),
        params={"guest": application.guest, "organisation": application.organisation,
                "date": application.event_date, "comment": application.comment},
        url=application_url(application),
        kind="expense_application",
    )  # fmt: skip
