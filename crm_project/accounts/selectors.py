from django.db.models import QuerySet

from .models import User
from .roles import Role


def active_users_with_role(*roles: Role) -> QuerySet[User]:
    """The people who hold any of `roles` and may log in, in a stable order (for notices)."""
    names = [role.value for role in roles]
    return User.objects.filter(groups__name__in=names, is_active=True).distinct().order_by("pk")
