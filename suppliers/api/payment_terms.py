"""/api/v1/supplier-payment-terms/: finance's view of suppliers — the active ones' code, name
and payment terms, nothing else of the file (ORG-02). Read-only."""

import django_filters
from rest_framework import mixins, viewsets

from ..models import SupplierPaymentTerms
from ..selectors import payment_terms_visible_to
from .serializers import SupplierPaymentTermsSerializer


class PaymentTermsFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(field_name="code")

    class Meta:
        model = SupplierPaymentTerms
        fields = ["code"]


class SupplierPaymentTermsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Active suppliers' payment terms, for finance and whoever sees supplier files."""

    serializer_class = SupplierPaymentTermsSerializer
    filterset_class = PaymentTermsFilter

    def get_queryset(self):
        return payment_terms_visible_to(self.request.user).order_by("code")


def register(router) -> None:
    router.register("supplier-payment-terms", SupplierPaymentTermsViewSet, basename="supplier-payment-terms")
