from rest_framework import serializers, viewsets

from crm_project.accounts.access import visible_to

from ..models import Product


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "code", "name", "unit"]


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    """Products 品种 (CUS-10); maintained by administrators in the admin."""

    serializer_class = ProductSerializer
    filterset_fields = ["code"]

    def get_queryset(self):
        return visible_to(self.request.user, Product.objects.filter(active=True)).order_by("code")


def register(router) -> None:
    router.register("products", ProductViewSet, basename="product")
