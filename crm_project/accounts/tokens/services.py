"""Issuing, checking and revoking API tokens (ORG-02)."""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.core.errors import DomainError, PermissionDenied

from ..models import ApiToken, User

logger = logging.getLogger(__name__)

KEY_BYTES = 32
# `last_used_at` is a hint for people, not a log: write it at most once a minute per token, so an
# integration calling in a loop does not turn every read into a write.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenRefused(DomainError):
    """The key is unknown, expired or revoked, or its user is deactivated (the API answers 401)."""


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def token_issue(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`, valid for `API_TOKEN_TTL_DAYS`. Returns the row and the key: the key
    is not stored (only its SHA-256), so this is the only time anyone sees it (ORG-02)."""
    key = secrets.token_urlsafe(KEY_BYTES)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=_hash(key),
        prefix=key[:8],
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    logger.info("API token %s issued to %s", token.pk, user.username)
    return token, key


def token_for_key(key: str) -> ApiToken:
    """The token a request presents, if it may still be used (ORG-02)."""
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None:
        raise TokenRefused(_("Invalid token."))
    if token.revoked_at is not None:
        raise TokenRefused(
            _("This token was revoked on %(when)s. Request a new one with POST /api/v1/auth/token/.")
            % {"when": _when(token.revoked_at)}
        )
    now = timezone.now()
    if token.is_expired(now):
        raise TokenRefused(
            _("This token expired on %(when)s. Request a new one with POST /api/v1/auth/token/.")
            % {"when": _when(token.expires_at)}
        )
    if not token.user.is_active:
        raise TokenRefused(_("User inactive or deleted."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def can_revoke(user: User, token: ApiToken) -> bool:
    """Its owner, or an administrator (who may change tokens in the admin)."""
    return token.user_id == user.pk or user.has_perm("accounts.change_apitoken")


def token_revoke(*, token_id: int, actor: User) -> ApiToken:
    """Revoke a token at once; revoking it again changes nothing (ORG-02)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token_id)
        if not can_revoke(actor, token):
            raise PermissionDenied(_("Only the token's owner or an administrator may revoke it."))
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = actor
            token.save(update_fields=["revoked_at", "revoked_by"])
            logger.info("API token %s of user %s revoked by %s", token.pk, token.user_id, actor.username)
    return token
