from django.db import transaction

from .models import User


def user_update_profile(*, user: User, data: dict) -> User:
    """Save the fields a person may change about themselves (audited, ORG-03)."""
    fields = [name for name, value in data.items() if getattr(user, name) != value]
    if not fields:
        return user
    with transaction.atomic():
        for name in fields:
            setattr(user, name, data[name])
        user.save(update_fields=fields)
    return user


def user_set_language(*, user: User, language: str) -> None:
    user_update_profile(user=user, data={"language": language})
