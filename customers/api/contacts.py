from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from crm_project.core.errors import DomainError

from ..models import Contact, Customer
from ..selectors import contact_visible_to, customer_visible_to
from ..services.contacts import contact_create, contact_update
from .common import CodeRelatedField, raise_for_api


class ContactSerializer(serializers.ModelSerializer):
    customer = CodeRelatedField(queryset=Customer.objects.none())
    fee_share = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, min_value=0, max_value=100)

    class Meta:
        model = Contact
        fields = ["id", "customer", "name", "role", "fee_share", "receives_fee", "phone", "wechat", "email",
                  "birthday", "active"]  # fmt: skip
        read_only_fields = ["active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        # Only the caller's own customers can be named: another's code reads as unknown.
        if request is not None:
            self.fields["customer"].queryset = customer_visible_to(request.user)


class ContactViewSet(viewsets.ModelViewSet):
    """Contact persons (CUS-04). Fee shares change only by change request (CUS-05)."""

    serializer_class = ContactSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["customer__code", "role", "receives_fee"]

    def get_queryset(self):
        return contact_visible_to(self.request.user).select_related("customer").filter(active=True).order_by("pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        customer = data.pop("customer")
        try:
            contact = contact_create(actor=request.user, customer=customer, data=data)
        except DomainError as error:
            raise_for_api(error)
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        contact = self.get_object()
        serializer = self.get_serializer(contact, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k != "customer"}
        try:
            contact = contact_update(actor=request.user, contact=contact, data=data)
        except DomainError as error:
            raise_for_api(error)
        return Response(self.get_serializer(contact).data)


def register(router) -> None:
    router.register("contacts", ContactViewSet, basename="contact")
