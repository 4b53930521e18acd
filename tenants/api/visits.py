"""/api/v1/tenant-visits/ and /api/v1/bulk-notices/ (TEN-08): read under the access registry
(the desk and management; anyone else an empty list and 404 on a record, ORG-02). Writes call
the same services as the pages: a refused step is 400 with the message, a role that may never
take it 403, and nothing changes."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from customers.api.common import call_service

from ..models import BulkNotice, BulkNoticeDelivery, NoticeKind, TenantVisit, VisitOutcome
from ..selectors_visits import bulk_notice_visible_to, overdue, visit_visible_to
from ..services.bulk import bulk_notice_send
from ..services.visits import tenant_visit_report, visit_plan_generate

PLANNED = OpenApiResponse(description='{"created": n}: how many visits were added, 0 on a second run.')
WRITES = ["get", "post", "head", "options"]


class TenantVisitSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="tenant.unit", read_only=True)
    shop_name = serializers.CharField(source="tenant.shop_name", read_only=True)
    visitor = serializers.CharField(source="visitor.username", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = TenantVisit
        fields = [
            "id", "tenant", "unit", "shop_name", "planned_on", "visitor", "status", "done_at", "outcome", "report",
        ]  # fmt: skip
        read_only_fields = fields

    def get_status(self, visit) -> str:
        if visit.done_at:
            return "done"
        return "overdue" if visit.planned_on < timezone.localdate() else "due"


class TenantVisitReportSerializer(serializers.Serializer):
    report = serializers.CharField(max_length=5000, allow_blank=True)
    outcome = serializers.ChoiceField(choices=VisitOutcome.choices)
    done_at = serializers.DateTimeField(required=False, allow_null=True)


class TenantVisitPlanSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class VisitFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="planned_on__year", min_value=2000, max_value=2100)
    visitor = django_filters.CharFilter(field_name="visitor__username", max_length=150)
    status = django_filters.ChoiceFilter(
        choices=[("overdue", "overdue"), ("due", "due"), ("done", "done")], method="filter_status"
    )

    def filter_status(self, queryset, name, value):
        if value == "overdue":
            return queryset.filter(overdue())
        if value == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset.filter(done_at__isnull=True, planned_on__gte=timezone.localdate())


class TenantVisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The tenant visit plan (TEN-08); `report/` marks a visit done, `generate/` plans the year."""

    serializer_class = TenantVisitSerializer
    filterset_class = VisitFilter
    http_method_names = WRITES

    def get_queryset(self):
        return visit_visible_to(self.request.user).select_related("tenant", "visitor").order_by("planned_on", "pk")

    @extend_schema(request=TenantVisitReportSerializer, responses=TenantVisitSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        visit = self.get_object()
        body = TenantVisitReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        call_service(tenant_visit_report, actor=request.user, visit=visit, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=visit.pk)).data)

    @extend_schema(request=TenantVisitPlanSerializer, responses={200: PLANNED})
    @action(detail=False, methods=["post"])
    def generate(self, request):
        body = TenantVisitPlanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        created = call_service(visit_plan_generate, actor=request.user, year=body.validated_data.get("year"))
        return Response({"created": created})


class BulkNoticeDeliverySerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="tenant.unit", read_only=True)

    class Meta:
        model = BulkNoticeDelivery
        fields = ["tenant", "unit", "contact_name", "email", "channel", "delivered_at", "failed_reason"]
        read_only_fields = fields


class BulkNoticeSerializer(serializers.ModelSerializer):
    sent_by = serializers.CharField(source="sent_by.username", read_only=True)
    deliveries = BulkNoticeDeliverySerializer(many=True, read_only=True)

    class Meta:
        model = BulkNotice
        fields = ["id", "kind", "title", "message", "floor", "business_type", "sent_by", "sent_at", "deliveries"]
        read_only_fields = fields


class BulkNoticeCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    title = serializers.CharField(max_length=200, allow_blank=True)
    message = serializers.CharField(max_length=5000, allow_blank=True)
    floor = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    business_type = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class BulkNoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bulk notices (TEN-08) with the delivery to each tenant; POST sends one."""

    serializer_class = BulkNoticeSerializer
    http_method_names = WRITES

    def get_queryset(self):
        return (
            bulk_notice_visible_to(self.request.user)
            .select_related("sent_by")
            .prefetch_related("deliveries__tenant")
            .order_by("-sent_at", "-pk")
        )

    @extend_schema(request=BulkNoticeCreateSerializer, responses={201: BulkNoticeSerializer})
    def create(self, request, *args, **kwargs):
        body = BulkNoticeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        notice = call_service(bulk_notice_send, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=notice.pk)).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("tenant-visits", TenantVisitViewSet, basename="tenant-visit")
    router.register("bulk-notices", BulkNoticeViewSet, basename="bulk-notice")
