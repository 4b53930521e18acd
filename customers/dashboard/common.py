"""What the customers blocks share: the viewer's customers, "in use at a moment", grouped counts,
names and list addresses."""

from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.pickers import department_reps
from crm_project.accounts.roles import Role
from crm_project.core.navigation import roles
from crm_project.dashboard.blocks import (
    list_url,
)

from ..models import Customer, CustomerStatus, Grade
from ..permissions import SALES_ROLES

GRADES = [grade.value for grade in Grade]
STATUSES = [status.value for status in CustomerStatus]
CHURNED = CustomerStatus.CHURNED
CHURN_REPS = 10  # the reps with most churned customers, on the chart
VISIT_REPS = 15  # the reps with most visits planned, on the chart
VISIT_COLUMNS = ("name", "planned", "completed", "not_completed", "cancelled", "overdue", "rate")
OWNER_NAME = ("username", "last_name", "first_name")
OWNER = ("owner_id", *(f"owner__{column}" for column in OWNER_NAME))

sales_and_management = roles(*SALES_ROLES, Role.MANAGEMENT)


def customers_in_scope(scope):
    return scope.in_department(scope.visible(Customer), "owner")


def in_use_at(moment: datetime, prefix: str = "") -> Q:
    """The customers in use at a moment: created before it and not archived by then. A moment
    still to come is now: the customers not archived (the partial indexes' own condition)."""
    if moment > timezone.now():
        return Q(**{f"{prefix}archived_at__isnull": True})
    return Q(**{f"{prefix}created_at__lt": moment}) & (
        Q(**{f"{prefix}archived_at__isnull": True}) | Q(**{f"{prefix}archived_at__gte": moment})
    )


def counts_by(queryset, column: str, values: list[str], conditions: dict[str, Q]) -> dict[str, dict[str, int]]:
    """One grouped query: for each condition, the rows matching it by `column` (every value
    present, zero when none)."""
    rows = (
        queryset.filter(reduce(or_, conditions.values()))
        .values(column)
        .annotate(**{name: Count("owner", filter=condition) for name, condition in conditions.items()})
        .order_by()
    )
    counts = {name: dict.fromkeys(values, 0) for name in conditions}
    for row in rows:  # one per grade or status
        for name in conditions:
            counts[name][row[column]] = row[name]
    return counts


def person_name(row: dict, prefix: str = "") -> str:
    """A person as the lists write them: family name first (张三), else the username."""
    return f"{row[prefix + 'last_name']}{row[prefix + 'first_name']}".strip() or row[prefix + "username"]


def customer_list(**params) -> str:
    return list_url("customers:customer_list", **params)


def filterable_owners(scope, rows: list[dict]) -> set[int]:
    """The owners the lists' owner filter accepts for this viewer (their department's active
    reps, every one for management); a link by anyone else would quietly show everybody."""
    ids = [row["owner_id"] for row in rows]
    return set(department_reps(scope.user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def note_for(scope, *sentences) -> str:
    """The block's note; with management's department chosen, that the lists are not narrowed
    to it (they filter by owner, not by department)."""
    if scope.department:
        sentences = (*sentences, _("The lists behind the figures show every department."))
    return " ".join(str(sentence) for sentence in sentences if sentence)
