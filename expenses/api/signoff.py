"""/api/v1/signoff-sheets/ — 附表4 sign-off sheets (EXP-11), read under EXP-13, with the
actions pay/ and link/ (the payer), paper/ (multipart `file`), submit/ (the rep hands the
sheet to finance), spot-check/ (the sales manager) and write-off/ ({amount}, finance; omitted
means the sheet's amount). A refusal answers 400 (403 when the role may never do it)."""

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crm_project.core.api.parsers import FormParser, JSONParser, MultiPartParser
from crm_project.core.errors import DomainError
from crm_project.core.months import MONTH_SCHEMA
from customers.api.common import raise_for_api

from ..models import SignoffSheet
from ..selectors import signoff_sheet_visible_to
from ..services.signoff import (
    signoff_link_issue,
    signoff_paper_upload,
    signoff_payout,
    signoff_spot_check,
    signoff_submit_to_finance,
    signoff_write_off,
)

USER = {"slug_field": "username", "read_only": True}


class SignoffSheetSerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField()
    rep = serializers.SerializerMethodField()
    customer = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()
    payer = serializers.SlugRelatedField(**USER)
    spot_checked_by = serializers.SlugRelatedField(**USER)
    written_off_by = serializers.SlugRelatedField(**USER)
    confirmed = serializers.SerializerMethodField()

    class Meta:
        model = SignoffSheet
        fields = ["id", "statement", "month", "rep", "customer", "contact", "amount", "payer", "paid_at", "confirmed",
                  "method", "confirmed_at", "spot_checked_by", "spot_checked_at", "submitted_to_finance_at",
                  "written_off_amount", "written_off_at", "written_off_by"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(MONTH_SCHEMA)
    def get_month(self, sheet) -> str:
        return f"{sheet.statement.month:%Y-%m}"

    def get_rep(self, sheet) -> str:
        return sheet.statement.rep.username

    def get_customer(self, sheet) -> str:
        return sheet.contact.customer.code

    def get_contact(self, sheet) -> dict:
        return {"id": sheet.contact_id, "name": sheet.contact.name}

    def get_confirmed(self, sheet) -> bool:
        return sheet.is_confirmed


class WriteOffSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)


class SignoffSheetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SignoffSheetSerializer
    filterset_fields = ["statement"]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return (
            signoff_sheet_visible_to(self.request.user)
            .select_related("statement__rep", "contact__customer", "payer", "spot_checked_by", "written_off_by")
            .order_by("statement__month", "pk")
        )

    def _run(self, request, call):
        sheet = self.get_object()
        try:
            result = call(sheet)
        except DomainError as error:
            raise_for_api(error)
        body = self.get_serializer(self.get_queryset().get(pk=sheet.pk)).data
        if isinstance(result, str):
            body["link"] = result  # shown this once: only the token's hash is kept
        return Response(body)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        return self._run(request, lambda sheet: signoff_payout(actor=request.user, sheet=sheet))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        return self._run(request, lambda sheet: signoff_link_issue(actor=request.user, sheet=sheet))

    @extend_schema(
        request={"multipart/form-data": inline_serializer("SignedSheetUpload", {"file": serializers.FileField()})}
    )
    @action(detail=True, methods=["post"])
    def paper(self, request, pk=None):
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": ["Attach the signed sheet as `file` (PDF, JPG or PNG)."]})
        return self._run(request, lambda sheet: signoff_paper_upload(actor=request.user, sheet=sheet, file=upload))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._run(
            request,
            lambda sheet: signoff_submit_to_finance(actor=request.user, statement=sheet.statement, sheets=[sheet]),
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="spot-check")
    def spot_check(self, request, pk=None):
        return self._run(request, lambda sheet: signoff_spot_check(actor=request.user, sheet=sheet))

    @extend_schema(request=WriteOffSerializer)
    @action(detail=True, methods=["post"], url_path="write-off")
    def write_off(self, request, pk=None):
        payload = WriteOffSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        amount = payload.validated_data.get("amount")
        return self._run(request, lambda sheet: signoff_write_off(actor=request.user, sheet=sheet, amount=amount))


def register(router) -> None:
    router.register("signoff-sheets", SignoffSheetViewSet, basename="signoff-sheet")
