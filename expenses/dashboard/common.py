"""What both fee blocks use: who sees them, list addresses, names."""

from datetime import date
from decimal import Decimal

from django.utils.translation import get_language

from crm_project.accounts.roles import Role
from crm_project.core.navigation import roles

from ..models.common import ZERO

SIGNERS = (Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR)

# EXP-13's list, and management (DSH-01), which sees the budget side only (reads_statements).
fee_viewers = roles(Role.SALES_REP, *SIGNERS, Role.FINANCE, Role.MANAGEMENT)
# The review is statements through and through: for EXP-13's list only, not for management.
review_viewers = roles(*SIGNERS, Role.FINANCE)


def reads_statements(user) -> bool:
    """Whether the user is on EXP-13's list at all (a rep their own, the signers, finance)."""
    return user.is_superuser or user.has_role(Role.SALES_REP, *SIGNERS, Role.FINANCE)


def month_code(month: date) -> str:
    return f"{month:%Y-%m}"


def own_only(user) -> bool:
    """A rep (and nothing more) sees their own fees only, even where an exception lets them
    read another rep's statement."""
    return not (user.is_superuser or user.has_role(*SIGNERS, Role.FINANCE, Role.MANAGEMENT))


def person_name(row: dict, prefix: str = "rep__") -> str:
    """A person as the lists write them: family name first (张三), else the username."""
    return f"{row[prefix + 'last_name']}{row[prefix + 'first_name']}".strip() or row[prefix + "username"]


def department_name(row: dict, prefix: str) -> str:
    chinese = (get_language() or "").startswith("zh")
    return row[f"{prefix}name_zh" if chinese else f"{prefix}name_en"] or ""


def decimal(value) -> Decimal:
    return Decimal(value) if value not in (None, "") else ZERO
