"""The user picker (ORG-02): colleagues as the access registry shows them, narrowed to the set a
form offers (`scope`), optionally to one role. See crm_project/core/pickers.py."""

from django.db.models import Q
from django.db.models.functions import Concat

from crm_project.core.pickers import Source, choice_param, register

from .access import visible_to
from .models import User
from .roles import Role


def _reps(user):
    return visible_to(user, User).filter(groups__name=Role.SALES_REP)


def department_reps(user):
    """Active reps of the user's department; every active rep for management and superusers
    (the customer owner filters and the owner of a new customer)."""
    reps = _reps(user).filter(is_active=True)
    if not (user.is_superuser or user.is_management) and user.department_id:
        reps = reps.filter(department_id=user.department_id)
    return reps


def fee_reps(user):
    """The reps whose fee data the user may see (EXP-13): all for finance, the department's
    for the sales clerk, manager and director, only themselves for a rep; leavers included."""
    reps = visible_to(user, User.objects.all()).filter(groups__name=Role.SALES_REP)
    if user.is_superuser or user.has_role(Role.FINANCE):
        return reps
    if user.has_role(Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR) and user.department_id:
        return reps.filter(department_id=user.department_id)
    return reps.filter(pk=user.pk)


def sales_reps(user):
    """Active reps: every one for finance and superusers, else the user's department's."""
    reps = _reps(user).filter(is_active=True)
    if user.is_superuser or user.has_role(Role.FINANCE):
        return reps
    return reps.filter(department_id=user.department_id)


def leaving_reps(user):
    """The department's reps, leavers included (EXP-14: whose customers are handed over)."""
    return visible_to(user, User.objects.all()).filter(groups__name=Role.SALES_REP, department_id=user.department_id)


SCOPES = {
    "staff": lambda user: visible_to(user, User).filter(is_active=True),
    "reps": lambda user: _reps(user).filter(is_active=True),
    "department_reps": department_reps,
    "fee_reps": fee_reps,
    "sales_reps": sales_reps,
    "leaving_reps": leaving_reps,
}
ROLES = {"", *(role.value for role in Role)}


def _users(user, params):
    scope = choice_param(params, "scope", set(SCOPES), default="staff")
    role = choice_param(params, "role", ROLES)
    users = SCOPES[scope](user)
    if role:
        users = users.filter(groups__name=role)
    # The group joins may repeat a row; a subquery keeps the ordering free.
    return User.objects.filter(pk__in=users.values("pk"))


def search_users(queryset, term):
    # Chinese names read family name first: 张三 is last_name 张 + first_name 三.
    return queryset.annotate(picker_name=Concat("last_name", "first_name")).filter(
        Q(username__icontains=term) | Q(picker_name__icontains=term) | Q(first_name__icontains=term)
    )


def user_label(user: User) -> str:
    return user.display_name if user.display_name == user.username else f"{user.display_name} ({user.username})"


register(
    Source(
        name="users",
        model=User,
        queryset=_users,
        search=search_users,
        order=("username", "pk"),
        label=user_label,
        params=("scope", "role"),
        only=("pk", "username", "first_name", "last_name"),
    )
)
