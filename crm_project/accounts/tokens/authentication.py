"""`Authorization: Token <key>` for the REST API, checked against the hashed tokens (ORG-02)."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .services import TokenRefused, token_for_key


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Invalid token header: send “Authorization: Token <key>”."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Invalid token.")) from None
        try:
            token = token_for_key(key)
        except TokenRefused as refusal:
            raise AuthenticationFailed(refusal.message) from None
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes an unauthenticated call a 401 (with this header) rather than a 403.
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Authorization: Token <key>`. Obtain a key with POST /api/v1/auth/token/; it expires "
                "(see `expires` in that answer) and can be revoked with DELETE /api/v1/auth/token/."
            ),
        }
