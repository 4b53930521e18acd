"""/api/v1/products/ (CUS-10): every member of staff reads the active products; the ERP
integration and administrators add new ones (the ERP keeps the product master). A bad or
duplicate code answers 400 with the field and reason; nothing is written."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from crm_project.accounts.access import visible_to
from crm_project.core.errors import DomainError

from ..models import Product
from ..permissions import can_create_product
from ..services.products import product_create
from .common import raise_for_api


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "code", "name", "unit"]
        read_only_fields = ["id"]
        # The service checks uniqueness (case-insensitively) with its own message.
        extra_kwargs = {"code": {"validators": []}}


class ProductViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Products 品种 (CUS-10)."""

    serializer_class = ProductSerializer
    filterset_fields = ["code"]

    def get_queryset(self):
        return visible_to(self.request.user, Product.objects.filter(active=True)).order_by("code")

    @extend_schema(request=ProductSerializer, responses={201: ProductSerializer})
    def create(self, request, *args, **kwargs):
        if not can_create_product(request.user):
            raise ApiPermissionDenied(_("Products are added by administrators and the ERP integration."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            product = product_create(actor=request.user, **serializer.validated_data)
        except DomainError as error:
            raise_for_api(error)
        return Response(self.get_serializer(product).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("products", ProductViewSet, basename="product")
