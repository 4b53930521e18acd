"""/api/v1/fee-standards/ (EXP-02): finance sets a product's tiers from the first of a month;
everyone who works with fees reads them. A standard is never edited: a change is a new one."""

import django_filters
from django.utils.translation import gettext as _
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from crm_project.accounts.access import sees_everything
from crm_project.core.errors import DomainError
from customers.api.common import raise_for_api

from ..models import FeeStandard
from ..navigation import FEE_ROLES
from ..permissions import can_set_standards
from ..services.standards import fee_standard_create
from .serializers import FeeStandardSerializer


class FeeStandardFilter(django_filters.FilterSet):
    product = django_filters.CharFilter(field_name="product__code")

    class Meta:
        model = FeeStandard
        fields = ["product"]


class FeeStandardViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = FeeStandardSerializer
    filterset_class = FeeStandardFilter

    def get_queryset(self):
        user = self.request.user
        queryset = FeeStandard.objects.select_related("product", "created_by").prefetch_related("tiers")
        if not user.is_authenticated or not (sees_everything(user) or user.has_role(*FEE_ROLES)):
            return queryset.none()
        return queryset.order_by("product__code", "-valid_from")

    def create(self, request, *args, **kwargs):
        if not can_set_standards(request.user):
            raise ApiPermissionDenied(_("Only finance sets fee standards."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            standard = fee_standard_create(
                actor=request.user,
                product=data["product"],
                valid_from=data["valid_from"],
                tiers=[dict(tier) for tier in data["tiers"]],
            )
        except DomainError as error:
            raise_for_api(error)
        standard = self.get_queryset().get(pk=standard.pk)
        return Response(self.get_serializer(standard).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("fee-standards", FeeStandardViewSet, basename="fee-standard")
