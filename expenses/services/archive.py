"""Filing a valid statement (EXP-08): once signed three times, finance files the signed
original and the sales clerk of the rep's department files a copy. Each is an act of the
person who files it — recorded with who and when, in the review history — not a stamp put
on the statement at the third signature."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied

from ..models import ReviewAction, ReviewEvent, SignerRole, Statement


def may_file_original(user: User, statement: Statement) -> bool:
    """Finance, and not the rep of the statement."""
    return statement.rep_id != user.pk and user.has_role(Role.FINANCE)


def may_file_copy(user: User, statement: Statement) -> bool:
    """The sales clerk of the rep's department, and not the rep."""
    return (
        statement.rep_id != user.pk
        and user.has_role(Role.SALES_CLERK)
        and user.department_id is not None
        and user.department_id == statement.rep.department_id
    )


def _locked(statement: Statement) -> Statement:
    return Statement.objects.select_for_update().select_related("rep").get(pk=statement.pk)


def _check(statement: Statement, *, filed_at, filed_by) -> None:
    if not statement.is_valid:
        raise DomainError(_("Only a statement signed three times is filed."))
    if filed_at is not None:
        name = filed_by.display_name if filed_by else _("the system")
        raise DomainError(
            _("Already filed by %(name)s on %(when)s.")
            % {"name": name, "when": f"{timezone.localtime(filed_at):%Y-%m-%d %H:%M}"}
        )


def _file(*, actor: User, statement: Statement, which: str, may, role: str, refusal: str) -> Statement:
    with transaction.atomic():
        statement = _locked(statement)
        if not may(actor, statement):
            raise PermissionDenied(refusal)
        at_field, by_field = f"archived_{which}_at", f"archived_{which}_by"
        filed_at = getattr(statement, at_field)
        _check(statement, filed_at=filed_at, filed_by=getattr(statement, by_field) if filed_at else None)
        setattr(statement, at_field, timezone.now())
        setattr(statement, by_field, actor)
        statement.save(update_fields=[at_field, by_field])
        # The role tells the two apart in the history: finance files the original, the clerk the copy.
        ReviewEvent.objects.create(
            statement=statement, cycle=statement.cycle, action=ReviewAction.ARCHIVE, role=role, user=actor
        )
    return statement


def statement_file_original(*, actor: User, statement: Statement) -> Statement:
    """EXP-08: finance records that it has filed the signed original."""
    return _file(
        actor=actor, statement=statement, which="original", may=may_file_original, role=SignerRole.FINANCE,
        refusal=_("Finance files the signed original."),
    )  # fmt: skip


def statement_file_copy(*, actor: User, statement: Statement) -> Statement:
    """EXP-08: the sales clerk of the rep's department records that sales has filed a copy."""
    return _file(
        actor=actor, statement=statement, which="copy", may=may_file_copy, role=SignerRole.CLERK,
        refusal=_("The sales clerk of the rep's department files the copy."),
    )  # fmt: skip
