"""/api/v1/notices/ (TEN-06): outgoing notices 对外发文 with the tenants addressed, signed and
unsigned, read under the access registry — operations and management see all, the department
concerned its own; anyone else gets 403 on the list and 404 on a notice (ORG-02). The steps are
POST actions calling the same services as the pages: a step out of order answers 400, a person
who may never take it 403, and nothing changes."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from crm_project.core.errors import DomainError
from customers.api.common import raise_for_api

from ..models import Notice, NoticeStatus, ReceiptMethod
from ..permissions_notices import opens_notice_pages
from ..selectors_notices import notice_visible_to, with_addressee_ids
from ..services import notices as services


def action_post(url_path: str, **options):
    return action(detail=True, methods=["post"], url_path=url_path, **options)


class NoticeSerializer(serializers.ModelSerializer):
    addressees = serializers.SerializerMethodField()
    signed = serializers.SerializerMethodField()
    unsigned = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = ["id", "title", "status", "addressees", "signed", "unsigned"]
        read_only_fields = fields

    def _rows(self, notice):
        return sorted(notice.addressees.all(), key=lambda row: row.tenant_id)

    def get_addressees(self, notice) -> list[int]:
        return [row.tenant_id for row in self._rows(notice)]

    def get_signed(self, notice) -> list[int]:
        return [row.tenant_id for row in self._rows(notice) if row.signed_at is not None]

    def get_unsigned(self, notice) -> list[int]:
        return [row.tenant_id for row in self._rows(notice) if row.signed_at is None]


class ReceiptSerializer(serializers.Serializer):
    tenant = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    method = serializers.ChoiceField(choices=[ReceiptMethod.PAPER])
    scan = serializers.FileField()
    signer_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Outgoing notices (TEN-06); `?status=` filters by status."""

    serializer_class = NoticeSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        queryset = with_addressee_ids(notice_visible_to(self.request.user)).order_by("-drafted_at", "-pk")
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in NoticeStatus.values:
                raise ValidationError({"status": [_("Unknown status.")]})
            queryset = queryset.filter(status=wanted)
        return queryset

    def list(self, request, *args, **kwargs):
        if not opens_notice_pages(request.user):
            raise ApiPermissionDenied(_("Outgoing notices are for operations and the departments concerned."))
        return super().list(request, *args, **kwargs)

    def _step(self, service, pk):
        notice = self.get_object()
        try:
            service(actor=self.request.user, notice=notice)
        except DomainError as error:
            raise_for_api(error)
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, responses=NoticeSerializer)
    @action_post("approve")
    def approve(self, request, pk=None):
        return self._step(services.notice_approve, pk)

    @extend_schema(request=None, responses=NoticeSerializer)
    @action_post("approve-seal")
    def approve_seal(self, request, pk=None):
        return self._step(services.notice_approve_seal, pk)

    @extend_schema(request=None, responses=NoticeSerializer)
    @action_post("seal")
    def seal(self, request, pk=None):
        return self._step(services.notice_seal, pk)

    @extend_schema(request=None, responses=NoticeSerializer)
    @action_post("deliver")
    def deliver(self, request, pk=None):
        return self._step(services.notice_deliver, pk)

    @extend_schema(request={"multipart/form-data": ReceiptSerializer}, responses=NoticeSerializer)
    @action_post("receipts", parser_classes=[MultiPartParser, FormParser])
    def receipts(self, request, pk=None):
        notice = self.get_object()
        body = ReceiptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        tenant = notice.addressees.filter(tenant_id=values["tenant"]).select_related("tenant").first()
        if tenant is None:
            raise ValidationError({"tenant": [_("This notice is not addressed to that tenant.")]})
        try:
            services.notice_receipt_paper(
                actor=request.user, notice=notice, tenant=tenant.tenant, scan=values["scan"],
                signer_name=values["signer_name"],
            )  # fmt: skip
        except DomainError as error:
            if error.field == "file":
                error.field = "scan"
            raise_for_api(error)
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)


def register(router) -> None:
    router.register("notices", NoticeViewSet, basename="notice")
