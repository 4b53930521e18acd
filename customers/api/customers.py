import django_filters
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError

from ..models import Customer, CustomerStatus, Grade, Industry
from ..selectors import customer_visible_to, search_customers
from ..services.customers import customer_create, customer_update
from .common import raise_for_api


class CustomerSerializer(serializers.ModelSerializer):
    code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    grade = serializers.ChoiceField(choices=Grade.choices, read_only=True)
    industry = serializers.SlugRelatedField(
        slug_field="code", queryset=Industry.objects.all(), required=False, allow_null=True
    )
    owner = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all(), required=False)

    class Meta:
        model = Customer
        fields = [
            "id", "code", "name", "kind", "grade", "status", "industry", "size", "region_scope", "region",
            "owner", "address", "legal_representative", "phone", "email", "website", "source",
            "first_deal_date", "needs", "budget", "archived_at",
        ]  # fmt: skip
        read_only_fields = ["archived_at"]


class CustomerFilter(django_filters.FilterSet):
    grade = django_filters.ChoiceFilter(choices=Grade.choices)
    status = django_filters.ChoiceFilter(choices=CustomerStatus.choices)
    owner = django_filters.CharFilter(field_name="owner__username")
    search = django_filters.CharFilter(method="filter_search")

    class Meta:
        model = Customer
        fields = ["grade", "status", "owner", "search"]

    def filter_search(self, queryset, name, value):
        return search_customers(queryset, value)


class CustomerViewSet(viewsets.ModelViewSet):
    """Customers under ORG-02: another rep's customer is a 404. The grade is set through its
    own reviewed flow (CUS-03, CUS-06); customers are archived, never deleted."""

    serializer_class = CustomerSerializer
    filterset_class = CustomerFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return customer_visible_to(self.request.user).select_related("owner", "industry").order_by("code")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        owner = data.pop("owner", None)
        try:
            customer = customer_create(actor=request.user, data=data, owner=owner)
        except DomainError as error:
            raise_for_api(error)
        return Response(self.get_serializer(customer).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        customer = self.get_object()
        serializer = self.get_serializer(customer, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k != "code"}
        try:
            pending = customer_update(actor=request.user, customer=customer, data=data)
        except DomainError as error:
            raise_for_api(error)
        customer.refresh_from_db()
        body = self.get_serializer(customer).data
        if pending:
            body = {**body, "pending_change": {"id": pending.pk, "fields": sorted(pending.new_values)}}
            return Response(body, status=status.HTTP_202_ACCEPTED)
        return Response(body)


def register(router) -> None:
    router.register("customers", CustomerViewSet, basename="customer")
