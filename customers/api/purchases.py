"""Purchases API (CUS-10): list/retrieve, and the ERP's bulk upsert.

POST /api/v1/purchases/bulk-upsert/ takes a JSON list of rows {external_ref, customer,
product, month: "YYYY-MM", quantity, amount, returned_quantity, returned_amount,
collected_amount} (customer and product are codes; figures are decimal strings) and answers
{created, updated, unchanged}. All rows or none: any bad row → 400 with
{errors: [{index, field, message}]} and nothing written — collected above a row's net sales
and sizes beyond PURCHASE_MAX_QUANTITY / PURCHASE_MAX_AMOUNT included. Rows are matched by
external_ref, so sending the same rows again creates nothing.

Only the ERP integration user, finance and the sales clerk may send rows (403 for everyone
else, reps above all: the figures are the inputs of their fees, EXP-04). A row of a month on
a submitted or signed statement is not overwritten: it is posted as a late correction that
the rep's next statement carries, and counts as updated.
"""

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crm_project.core.api.fields import MonthField
from crm_project.core.errors import DomainError
from crm_project.core.months import MonthFilter

from ..models import Purchase
from ..selectors import purchase_visible_to
from ..services.purchase_rows import PurchaseRowsRejected, purchases_bulk_upsert
from .common import raise_for_api


class PurchaseSerializer(serializers.ModelSerializer):
    customer = serializers.CharField(source="customer.code", read_only=True)
    product = serializers.CharField(source="product.code", read_only=True)
    month = MonthField(read_only=True)
    net_sales = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Purchase
        fields = ["id", "external_ref", "customer", "product", "month", "quantity", "amount", "returned_quantity",
                  "returned_amount", "net_sales", "collected_amount"]  # fmt: skip
        read_only_fields = fields


class PurchaseRowSerializer(serializers.Serializer):
    """One row of a bulk upsert (for the API documentation; the service checks the rows)."""

    external_ref = serializers.CharField(max_length=100)
    customer = serializers.CharField(help_text="customer code")
    product = serializers.CharField(help_text="product code")
    month = MonthField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    returned_quantity = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    returned_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    collected_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)


class PurchaseFilter(django_filters.FilterSet):
    customer = django_filters.CharFilter(field_name="customer__code")
    month = MonthFilter(field_name="month")

    class Meta:
        model = Purchase
        fields = ["customer", "month"]


class PurchaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Purchases of the customers visible to the caller (ORG-02)."""

    serializer_class = PurchaseSerializer
    filterset_class = PurchaseFilter

    def get_queryset(self):
        return purchase_visible_to(self.request.user).select_related("customer", "product").order_by("-month", "pk")

    @extend_schema(
        request=PurchaseRowSerializer(many=True),
        responses={
            200: inline_serializer(
                "BulkUpsertResult",
                {
                    "created": serializers.IntegerField(),
                    "updated": serializers.IntegerField(),
                    "unchanged": serializers.IntegerField(),
                },
            ),
            400: OpenApiResponse(description="{errors: [{index, field, message}]}; nothing was written"),
            403: OpenApiResponse(description="only the ERP integration, finance and the sales clerk send purchases"),
        },
    )
    @action(detail=False, methods=["post"], url_path="bulk-upsert")
    def bulk_upsert(self, request):
        try:
            counts = purchases_bulk_upsert(actor=request.user, rows=request.data)
        except PurchaseRowsRejected as rejected:
            return Response(
                {"detail": rejected.message, "errors": [error.as_dict() for error in rejected.errors]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except DomainError as error:
            raise_for_api(error)
        return Response(counts, status=status.HTTP_200_OK)


def register(router) -> None:
    router.register("purchases", PurchaseViewSet, basename="purchase")
