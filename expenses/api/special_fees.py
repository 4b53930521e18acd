"""/api/v1/special-fee-applications/ — 附表3 new-customer special fees (EXP-09): list, create
(by a rep), retrieve, and the actions approve/, reject/ ({note}), contract/ ({signed_on}) and
pay/. A refusal answers 400 (403 when the role may never do it) and changes nothing."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crm_project.core.errors import DomainError
from customers.api.common import CodeRelatedField, raise_for_api
from customers.models import Customer
from customers.selectors import customer_visible_to

from ..models import SpecialFeeApplication, SpecialFeeStatus
from ..selectors import special_fee_visible_to
from ..services.special_fees import (
    special_fee_apply,
    special_fee_approve,
    special_fee_pay,
    special_fee_record_contract,
    special_fee_reject,
)

USER = {"slug_field": "username", "read_only": True}


class SpecialFeeSerializer(serializers.ModelSerializer):
    rep = serializers.SlugRelatedField(**USER)
    customer = CodeRelatedField(queryset=Customer.objects.none())
    manager = serializers.SlugRelatedField(**USER)
    director = serializers.SlugRelatedField(**USER)
    finance = serializers.SlugRelatedField(**USER)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    valid = serializers.SerializerMethodField()

    class Meta:
        model = SpecialFeeApplication
        fields = ["id", "rep", "customer", "filed_on", "planned_contract_date", "contract_signed_on", "amount",
                  "purpose", "status", "valid", "manager", "manager_at", "director", "director_at", "finance",
                  "finance_at", "decided_note", "paid_at"]  # fmt: skip
        read_only_fields = ["filed_on", "status", "manager_at", "director_at", "finance_at", "decided_note", "paid_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["customer"].queryset = customer_visible_to(request.user)

    def get_valid(self, application) -> bool:
        return application.status != SpecialFeeStatus.INVALID


class RejectionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, required=False, default="")


class ContractSerializer(serializers.Serializer):
    signed_on = serializers.DateField()


class SpecialFeeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = SpecialFeeSerializer
    filterset_fields = ["status", "customer__code"]

    def get_queryset(self):
        return (
            special_fee_visible_to(self.request.user)
            .select_related("rep", "customer", "manager", "director", "finance")
            .order_by("-filed_on", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            application = special_fee_apply(
                actor=request.user, customer=data["customer"], planned_contract_date=data["planned_contract_date"],
                contract_signed_on=data.get("contract_signed_on"), amount=data["amount"], purpose=data["purpose"],
            )  # fmt: skip
        except DomainError as error:
            raise_for_api(error)
        body = self.get_serializer(application).data
        if application.status == SpecialFeeStatus.INVALID:
            body["detail"] = (
                "Rejected as invalid: an application filed on or after the contract date is not valid (EXP-09)."
            )
        return Response(body, status=status.HTTP_201_CREATED)

    def _step(self, request, service, **kwargs):
        application = self.get_object()
        try:
            application = service(actor=request.user, application=application, **kwargs)
        except DomainError as error:
            raise_for_api(error)
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, special_fee_approve)

    @extend_schema(request=RejectionNoteSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        note = RejectionNoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        return self._step(request, special_fee_reject, note=note.validated_data["note"])

    @extend_schema(request=ContractSerializer)
    @action(detail=True, methods=["post"])
    def contract(self, request, pk=None):
        contract = ContractSerializer(data=request.data)
        contract.is_valid(raise_exception=True)
        return self._step(request, special_fee_record_contract, signed_on=contract.validated_data["signed_on"])

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        return self._step(request, special_fee_pay)


def register(router) -> None:
    router.register("special-fee-applications", SpecialFeeViewSet, basename="special-fee-application")
