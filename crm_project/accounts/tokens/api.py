"""POST /api/v1/auth/token/ issues a token for a username and password; DELETE revokes the one in use."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, Throttled, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import ApiToken
from .services import token_issue, token_revoke


class TokenIssueSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=100,
        required=False,
        default="API",
        help_text=gettext_lazy("What the token is for, e.g. “ERP nightly sync”; shown on the profile page."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=gettext_lazy("The key: shown only in this answer."))
    expires = serializers.DateTimeField()


DETAIL = inline_serializer("TokenRefusal", {"detail": serializers.CharField()})


def _locked_out(request) -> Throttled:
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    if cool_off is None:
        return Throttled(detail=_("This account is locked after too many failed logins. Ask an administrator."))
    return Throttled(
        wait=int(cool_off.total_seconds()),
        detail=_("This account is locked after too many failed logins. Try again in %(minutes)d minutes.")
        % {"minutes": max(1, round(cool_off.total_seconds() / 60))},
    )


class TokenView(APIView):
    """API tokens (ORG-02)."""

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        request=TokenIssueSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Wrong username or password, or a bad field."),
            429: OpenApiResponse(DETAIL, description="The account is locked; see the Retry-After header."),
        },
        description=(
            "A new token for this username and password, valid for `API_TOKEN_TTL_DAYS` days (see "
            "`expires`). Each call issues another token; the key is shown only in this answer. "
            "After too many failed attempts the account is locked for this address: 429 with Retry-After."
        ),
    )
    def post(self, request):
        serializer = TokenIssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate(request=request, username=data["username"], password=data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                raise _locked_out(request)
            raise ValidationError({"non_field_errors": [_("Unable to log in with provided credentials.")]})
        token, key = token_issue(user=user, name=data["name"])
        return Response(TokenSerializer({"token": key, "expires": token.expires_at}).data)

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="The token in use is revoked."),
            400: OpenApiResponse(DETAIL, description="The request was not made with a token."),
            401: OpenApiResponse(DETAIL, description="Not authenticated, or the token is already unusable."),
        },
        description="Revoke the token this request is authenticated with; it answers 401 from now on.",
    )
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            if request.user.is_authenticated:
                return Response(
                    {"detail": _("This request was not made with a token: nothing to revoke.")},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            raise NotAuthenticated()
        token_revoke(token_id=request.auth.pk, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
