from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError

from crm_project.core.errors import DomainError, PermissionDenied


def raise_for_api(error: DomainError):
    """A rule's refusal: 403 when the role may never do it, else 400, with the message."""
    if isinstance(error, PermissionDenied):
        raise ApiPermissionDenied(error.message)
    raise ValidationError({error.field or "detail": [error.message]})


def call_service(service, **values):
    """Run a service for an API view, its refusal answered as `raise_for_api` says."""
    try:
        return service(**values)
    except DomainError as error:
        raise_for_api(error)


class CodeRelatedField(serializers.SlugRelatedField):
    """A related record by its business code (customer, product)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)
