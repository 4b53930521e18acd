"""/api/v1/advances/ — 借支 (EXP-10): a rep POSTs {statement, amount}; list and retrieve under
EXP-13; finance's actions pay/ and reject/ ({note}). A refusal answers 400 (403 when the role
may never do it) with the reason — e.g. the amount still available under the cap."""

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crm_project.core.errors import DomainError
from crm_project.core.months import MONTH_SCHEMA
from customers.api.common import raise_for_api

from ..models import Advance, Statement
from ..selectors import advance_visible_to, statement_visible_to
from ..services.advances import advance_pay, advance_reject, advance_request

USER = {"slug_field": "username", "read_only": True}


class AdvanceSerializer(serializers.ModelSerializer):
    rep = serializers.SlugRelatedField(**USER)
    paid_by = serializers.SlugRelatedField(**USER)
    statement = serializers.PrimaryKeyRelatedField(queryset=Statement.objects.none())
    month = serializers.SerializerMethodField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        model = Advance
        fields = ["id", "rep", "statement", "month", "amount", "status", "requested_at", "paid_by", "paid_at", "note"]
        read_only_fields = ["status", "requested_at", "paid_at", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["statement"].queryset = statement_visible_to(request.user)

    @extend_schema_field(MONTH_SCHEMA)
    def get_month(self, advance) -> str:
        return f"{advance.statement.month:%Y-%m}"


class AdvanceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = AdvanceSerializer
    filterset_fields = ["status", "statement"]

    def get_queryset(self):
        return advance_visible_to(self.request.user).select_related("rep", "statement", "paid_by").order_by("-pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            advance = advance_request(
                actor=request.user,
                statement=serializer.validated_data["statement"],
                amount=serializer.validated_data["amount"],
            )
        except DomainError as error:
            raise_for_api(error)
        return Response(self.get_serializer(advance).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        advance = self.get_object()
        try:
            advance = advance_pay(actor=request.user, advance=advance)
        except DomainError as error:
            raise_for_api(error)
        return Response(self.get_serializer(advance).data)

    @extend_schema(request=inline_serializer("AdvanceReject", {"note": serializers.CharField(required=False)}))
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        advance = self.get_object()
        try:
            advance = advance_reject(actor=request.user, advance=advance, note=str(request.data.get("note", "")))
        except DomainError as error:
            raise_for_api(error)
        return Response(self.get_serializer(advance).data)


def register(router) -> None:
    router.register("advances", AdvanceViewSet, basename="advance")
