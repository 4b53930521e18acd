from django.db.models import QuerySet

from ..models import ApiToken, User


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """A user's tokens that are not revoked, newest first (expired ones too, until revoked)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")
