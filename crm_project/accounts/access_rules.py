"""This app's entries in the access registry."""

from . import access
from .models import Department, User


def _people(user, queryset):
    # Colleagues are visible to every signed-in member of staff (the company directory);
    # what they own is guarded by each app's own rules.
    return queryset.filter(is_active=True) if not user.is_superuser else queryset


access.register(User, _people)
access.register(Department, lambda user, queryset: queryset)
