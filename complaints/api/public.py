"""POST /api/v1/public/complaints/ (CMP-01): the public form as an API — no login, the same
size limits and the same per-address rate limit as the page (429 past it)."""

from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from crm_project.core.errors import DomainError
from crm_project.core.net import client_ip
from crm_project.core.ratelimits import rate_limit
from customers.api.common import raise_for_api

from ..services.intake import COMPANY_MAX, CONTACT_MAX, NAME_MAX, TEXT_MAX, complaint_submit_public
from ..views.public import body_too_large


class PublicComplaintSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX)
    contact = serializers.CharField(max_length=CONTACT_MAX)
    company = serializers.CharField(max_length=COMPANY_MAX, allow_blank=True, default="")
    text = serializers.CharField(max_length=TEXT_MAX)


@method_decorator(rate_limit("complaint-public"), name="post")
class PublicComplaintView(APIView):
    # No authentication classes: a session cookie must not turn on CSRF for this endpoint.
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=PublicComplaintSerializer,
        responses={
            201: inline_serializer(
                "PublicComplaintCreated", {"reference": serializers.CharField(), "status_url": serializers.URLField()}
            )
        },
    )
    def post(self, request):
        if body_too_large(request):
            return Response({"detail": _("The request is too large.")}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        address = client_ip(request)
        body = PublicComplaintSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            complaint, token = complaint_submit_public(**body.validated_data, address=address or None)
        except DomainError as error:
            raise_for_api(error)
        status_url = request.build_absolute_uri(reverse("complaints:public_status", args=[token]))
        return Response({"reference": complaint.reference, "status_url": status_url}, status=status.HTTP_201_CREATED)
