"""Record-level access rules, in one place (ORG-02).

Every page, export, API endpoint and job that acts for a user starts from
`visible_to(user, queryset)`. Apps plug in one rule per model with `register()`; a model
without a rule is visible to nobody, so a forgotten rule fails closed.

Scopes, per ORG-02: a sales rep sees their own records; a clerk, manager or director sees
their department's; finance sees all fee records (apps register that where it applies);
management sees everything, read-only; superusers see everything.
"""

from collections.abc import Callable

from django.db.models import Model, QuerySet

from .roles import Role

Rule = Callable[["object", QuerySet], QuerySet]

_rules: dict[type[Model], Rule] = {}


def register(model: type[Model], rule: Rule) -> None:
    _rules[model] = rule


def visible_to(user, queryset: QuerySet | type[Model]) -> QuerySet:
    """The rows of `queryset` that `user` may see."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    rule = _rules.get(queryset.model)
    if rule is None:
        return queryset if user.is_superuser else queryset.none()
    return rule(user, queryset)


def is_visible(user, obj: Model) -> bool:
    return visible_to(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def is_read_only(user) -> bool:
    """Management sees everything but changes nothing, unless it also holds a working role."""
    if user.is_superuser:
        return False
    return user.is_management and not (user.roles - {Role.MANAGEMENT})


# The approvals the policy gives management, granted one by one: the only writes its read-only
# role allows. A service asks `may_approve_as_management(user, "…")`; `is_read_only` stays as is.
MANAGEMENT_APPROVALS = frozenset({"notice_seal", "budget", "expense_above_cap"})


def may_approve_as_management(user, approval: str) -> bool:
    if approval not in MANAGEMENT_APPROVALS:
        raise ValueError(f"{approval!r} is not an approval granted to management")
    return user.is_active and (user.is_superuser or user.is_management)


def sees_everything(user) -> bool:
    return user.is_superuser or user.is_management


# --- rule builders ------------------------------------------------------------------------


def own_records(owner_field: str) -> Rule:
    """Only the records whose `owner_field` is the user (inboxes, personal settings)."""

    def rule(user, queryset: QuerySet) -> QuerySet:
        return queryset.filter(**{owner_field: user})

    return rule


def department_members(department_id: int) -> QuerySet:
    """The ids of a department's people, as a subquery: `owner IN (…)` is served by the index on
    the owner column, where `owner's department = …` needs a join the index cannot serve. It is
    read at query time, so it is exact the moment someone moves department (ORG-02)."""
    from .models import User

    return User.objects.filter(department_id=department_id).values("pk")


def owned_by_department(owner_field: str, *, also_all: frozenset[Role] = frozenset()) -> Rule:
    """ORG-02's default: own records; the department's for clerk/manager/director;
    everything for management, superusers and the roles in `also_all` (e.g. finance for
    fee records)."""

    def rule(user, queryset: QuerySet) -> QuerySet:
        if sees_everything(user) or user.roles & also_all:
            return queryset
        if user.sees_department and user.department_id:
            # The user is one of the department's members: their own records are in it.
            return queryset.filter(**{f"{owner_field}__in": department_members(user.department_id)})
        return queryset.filter(**{owner_field: user})

    return rule
