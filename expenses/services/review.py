"""The three-signature review 三级检核 (EXP-07, EXP-08): the sales clerk, then the sales
manager, then finance sign — or return the statement to the rep with a comment, which starts
the signatures again. Valid only with all three; then locked and accrued, and ready to be
filed (services/archive.py)."""

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.services import notify
from customers.services.purchase_freeze import lock_purchase_months

from ..models import EntryKind, ReviewAction, ReviewEvent, Signature, SignerRole, Statement, StatementStatus
from .corrections import corrections_unfreeze
from .ledger import account_for, ledger_post

# status → (the signature it waits for, the status after it)
NEXT_SIGNATURE = {
    StatementStatus.SUBMITTED: (SignerRole.CLERK, StatementStatus.CLERK_SIGNED),
    StatementStatus.CLERK_SIGNED: (SignerRole.MANAGER, StatementStatus.MANAGER_SIGNED),
    StatementStatus.MANAGER_SIGNED: (SignerRole.FINANCE, StatementStatus.VALID),
}
ROLE_OF_SIGNER = {
    SignerRole.CLERK: Role.SALES_CLERK,
    SignerRole.MANAGER: Role.SALES_MANAGER,
    SignerRole.FINANCE: Role.FINANCE,
}


def waiting_for(statement: Statement) -> str | None:
    step = NEXT_SIGNATURE.get(statement.status)
    return step[0] if step else None


def may_sign_as(user: User, statement: Statement, signer_role: str) -> bool:
    """Holds the role, for the rep's department (finance: any), and is not the rep."""
    if statement.rep_id == user.pk or not user.has_role(ROLE_OF_SIGNER[signer_role]):
        return False
    return signer_role == SignerRole.FINANCE or user.department_id == statement.rep.department_id


def signers_for(statement: Statement, signer_role: str):
    users = User.objects.filter(groups__name=ROLE_OF_SIGNER[signer_role], is_active=True).exclude(pk=statement.rep_id)
    if signer_role != SignerRole.FINANCE:
        users = users.filter(department_id=statement.rep.department_id)
    return users.distinct()


def _locked(statement: Statement) -> Statement:
    return Statement.objects.select_for_update().select_related("rep").get(pk=statement.pk)


def _check_signer(actor: User, statement: Statement) -> str:
    signer_role = waiting_for(statement)
    if signer_role is None:
        if statement.status == StatementStatus.VALID:
            raise DomainError(_("This statement is already signed three times and locked."))
        raise DomainError(_("This statement is not waiting for a signature: the rep has not submitted it."))
    if statement.rep_id == actor.pk:
        raise PermissionDenied(_("Nobody signs their own statement."))
    if not may_sign_as(actor, statement, signer_role):
        if any(actor.has_role(ROLE_OF_SIGNER[role]) for role in ROLE_OF_SIGNER):
            raise DomainError(
                _("This statement is waiting for the %(role)s's signature.") % {"role": SignerRole(signer_role).label}
            )
        raise PermissionDenied(_("You do not sign monthly statements."))
    if statement.signatures.filter(cycle=statement.cycle, user=actor).exists():
        raise DomainError(_("You have already signed this statement."))
    return signer_role


def statement_sign(*, actor: User, statement: Statement) -> Statement:
    """Sign the next step. The row lock and the unique constraints make two simultaneous
    clicks give one signature, and nobody can sign a step out of order."""
    with transaction.atomic():
        statement = _locked(statement)
        signer_role = _check_signer(actor, statement)
        try:
            with transaction.atomic():
                Signature.objects.create(statement=statement, cycle=statement.cycle, role=signer_role, user=actor)
        except IntegrityError:
            raise DomainError(_("This step has just been signed by someone else.")) from None
        _role, next_status = NEXT_SIGNATURE[statement.status]
        statement.status = next_status
        fields = ["status"]
        if next_status == StatementStatus.VALID:
            now = timezone.now()
            # EXP-08: locked. Filing the original (finance) and the copy (sales) are acts of
            # their own, recorded by whoever files them (services/archive.py).
            statement.valid_at = now
            fields += ["valid_at"]
            _post_accruals(statement, actor)
        statement.save(update_fields=fields)
        ReviewEvent.objects.create(
            statement=statement, cycle=statement.cycle, action=ReviewAction.SIGN, role=signer_role, user=actor
        )
        transaction.on_commit(lambda: notify_next_signers(statement.pk))
    return statement


def statement_return(*, actor: User, statement: Statement, comment: str) -> Statement:
    """Send it back to the rep with a comment; this round's signatures no longer count and
    the review starts again after resubmission (the history keeps them). Its purchase months
    unfreeze: late corrections of them are written to the purchases (EXP-04)."""
    if not comment or not comment.strip():
        raise DomainError(_("Say why you return the statement."), field="comment")
    with transaction.atomic():
        lock_purchase_months(exclusive=True)
        statement = _locked(statement)
        signer_role = _check_signer(actor, statement)
        ReviewEvent.objects.create(
            statement=statement,
            cycle=statement.cycle,
            action=ReviewAction.RETURN,
            role=signer_role,
            user=actor,
            comment=comment.strip(),
        )
        statement.status = StatementStatus.RETURNED
        statement.cycle += 1
        statement.save(update_fields=["status", "cycle"])
        corrections_unfreeze(actor=actor, statement=statement)
        transaction.on_commit(lambda: _notify_returned(statement.pk, actor.display_name, comment.strip()))
    return statement


def _post_accruals(statement: Statement, actor: User) -> None:
    """EXP-03: the valid statement's payable fees are accrued, per product account."""
    for line in statement.lines.filter(payable__gt=0).select_related("product"):
        ledger_post(
            kind=EntryKind.ACCRUAL,
            amount=line.payable,
            month=statement.month,
            rep=statement.rep,
            posted_by=actor,
            account=account_for(line.product),
            statement=statement,
            customer=line.customer,
        )


def current_signatures(statement: Statement):
    return [s for s in statement.signatures.all() if s.cycle == statement.cycle]


def notify_next_signers(statement_id: int) -> None:
    statement = Statement.objects.select_related("rep").get(pk=statement_id)
    signer_role = waiting_for(statement)
    url = f"/fees/statements/{statement.pk}/"
    params = {"rep": statement.rep.display_name, "month": f"{statement.month:%Y-%m}"}
    if signer_role is None:
        if statement.status == StatementStatus.VALID:
            notify(
                recipient=statement.rep,
                key=f"statement-valid:{statement.pk}",
                kind="statement",
                title=gettext_lazy("Your %(month)s statement is signed and valid"),
                params=params,
                url=url,
            )
        return
    for signer in signers_for(statement, signer_role):
        notify(
            recipient=signer,
            key=f"statement-sign:{statement.pk}:{statement.cycle}:{signer_role}:{signer.pk}",
            kind="statement",
            title=gettext_lazy("%(rep)s's %(month)s statement waits for your signature"),
            params=params,
            url=url,
        )


def _notify_returned(statement_id: int, by: str, comment: str) -> None:
    statement = Statement.objects.select_related("rep").get(pk=statement_id)
    notify(
        recipient=statement.rep,
        key=f"statement-returned:{statement.pk}:{statement.cycle}",
        kind="statement",
        title=gettext_lazy("Your %(month)s statement was returned"),
        body=gettext_lazy("%(by)s returned it: %(comment)s"),
        params={"month": f"{statement.month:%Y-%m}", "by": by, "comment": comment},
        url=f"/fees/statements/{statement.pk}/",
    )


def signer_queue(user: User):
    """Statements waiting for this user's signature, oldest first (EXP-07)."""
    conditions = Q(pk__in=[])
    for status, (signer_role, _next) in NEXT_SIGNATURE.items():
        if not user.has_role(ROLE_OF_SIGNER[signer_role]):
            continue
        condition = Q(status=status)
        if signer_role != SignerRole.FINANCE:
            condition &= Q(rep__department_id=user.department_id)
        conditions |= condition
    return (
        Statement.objects.filter(conditions)
        .exclude(rep=user)
        .exclude(signatures__user=user, signatures__cycle=F("cycle"))
        .select_related("rep")
        .order_by("submitted_at", "pk")
    )
