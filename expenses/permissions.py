"""Who may do what with fees. Services enforce these; templates show or hide buttons."""

from crm_project.accounts.roles import Role

from .services.review import may_sign_as, waiting_for


def can_file_statement(user) -> bool:
    return user.has_role(Role.SALES_REP)


def can_sign(user, statement) -> bool:
    signer_role = waiting_for(statement)
    return signer_role is not None and may_sign_as(user, statement, signer_role)


def is_finance(user) -> bool:
    return user.has_role(Role.FINANCE)


def can_set_standards(user) -> bool:
    return user.is_superuser or user.has_role(Role.FINANCE)


def can_open_investigation(user) -> bool:
    return user.has_role(Role.SALES_CLERK, Role.SALES_MANAGER, Role.FINANCE)
