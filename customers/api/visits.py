import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError

from ..models import Customer, Visit, VisitStatus
from ..selectors import customer_visible_to, visit_visible_to
from ..services.visits import visit_cancel, visit_complete, visit_plan_manual
from .common import CodeRelatedField, raise_for_api


class VisitSerializer(serializers.ModelSerializer):
    customer = CodeRelatedField(
        queryset=Customer.objects.none(), error_messages={"does_not_exist": _("Unknown customer {value}.")}
    )
    owner = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True), required=False
    )

    class Meta:
        model = Visit
        fields = [
            "id", "customer", "owner", "planned_date", "status", "completed_at",
            "purpose", "people_met", "findings", "needs", "next_actions",
        ]  # fmt: skip
        read_only_fields = ["status", "completed_at", "people_met", "findings", "needs", "next_actions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        # Another rep's customer reads as unknown (ORG-02).
        if request is not None:
            self.fields["customer"].queryset = customer_visible_to(request.user)


class VisitReportSerializer(serializers.Serializer):
    """The visit report 拜访报告 that completes a visit (CUS-09)."""

    purpose = serializers.CharField(allow_blank=True, default="")
    people_met = serializers.CharField(allow_blank=True, default="")
    findings = serializers.CharField(allow_blank=True, default="")
    needs = serializers.CharField(allow_blank=True, default="")
    next_actions = serializers.CharField(allow_blank=True, default="")


class VisitCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=100, allow_blank=True, default="")


class VisitFilter(django_filters.FilterSet):
    customer = django_filters.CharFilter(field_name="customer__code")
    status = django_filters.ChoiceFilter(choices=VisitStatus.choices)

    class Meta:
        model = Visit
        fields = ["customer", "status"]


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Visits (CUS-09): POST plans one; `POST {id}/complete/` completes it with its report;
    `POST {id}/cancel/` cancels it with a reason. Another rep's visit is a 404 (ORG-02)."""

    serializer_class = VisitSerializer
    filterset_class = VisitFilter

    def get_queryset(self):
        return visit_visible_to(self.request.user).select_related("customer", "owner").order_by("planned_date", "pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            visit = visit_plan_manual(
                actor=request.user,
                customer=data["customer"],
                planned_date=data["planned_date"],
                owner=data.get("owner"),
                purpose=data.get("purpose", ""),
            )
        except DomainError as error:
            raise_for_api(error)
        return Response(self.get_serializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VisitReportSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"], serializer_class=VisitReportSerializer)
    def complete(self, request, pk=None):
        visit = self.get_object()
        report = VisitReportSerializer(data=request.data)
        report.is_valid(raise_exception=True)
        try:
            visit = visit_complete(actor=request.user, visit=visit, **report.validated_data)
        except DomainError as error:
            raise_for_api(error)
        return Response(VisitSerializer(visit, context=self.get_serializer_context()).data)

    @extend_schema(request=VisitCancelSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"], serializer_class=VisitCancelSerializer)
    def cancel(self, request, pk=None):
        visit = self.get_object()
        body = VisitCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            visit = visit_cancel(actor=request.user, visit=visit, reason=body.validated_data["reason"])
        except DomainError as error:
            raise_for_api(error)
        return Response(VisitSerializer(visit, context=self.get_serializer_context()).data)


def register(router) -> None:
    router.register("visits", VisitViewSet, basename="visit")
