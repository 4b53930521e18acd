"""/api/v1/complaints/ (CMP-01 … CMP-05): read under the access rules; POST logs one; the
transition actions call the same services as the ticket page — a transition the flow does
not allow answers 400 and changes nothing; a role that may not do it, 403."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crm_project.accounts.models import Department
from crm_project.core.errors import DomainError
from customers.api.common import CodeRelatedField, raise_for_api
from customers.models import Contact, Customer

from ..models import Channel, Complaint, ComplaintCategory, ComplaintStatus, Severity
from ..selectors import complaint_visible_to, customers_for_intake, with_flags
from ..services.flow import (
    complaint_assign,
    complaint_classify,
    complaint_close,
    complaint_inform,
    complaint_investigate,
    complaint_propose,
    complaint_reopen,
)
from ..services.intake import CONTACT_MAX, NAME_MAX, TEXT_MAX, complaint_log


class ComplaintSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    customer = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    is_repeat = serializers.BooleanField(read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id", "reference", "status", "channel", "category", "severity", "department", "customer", "contact",
            "complainant_name", "complainant_contact", "complainant_company", "text", "received_at",
            "response_due_at", "responded_at", "solution_due_at", "solution", "solution_proposed_at",
            "satisfaction", "root_cause", "preventive_action", "closed_at", "reopen_count", "is_overdue", "is_repeat",
        ]  # fmt: skip
        read_only_fields = fields


class ComplaintCreateSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    customer = CodeRelatedField(
        queryset=Customer.objects.none(), required=False, allow_null=True,
        error_messages={"does_not_exist": _("Unknown customer {value}.")},
    )  # fmt: skip
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all(), required=False, allow_null=True)
    complainant_name = serializers.CharField(max_length=NAME_MAX)
    complainant_contact = serializers.CharField(max_length=CONTACT_MAX, allow_blank=True, default="")
    complainant_company = serializers.CharField(max_length=200, allow_blank=True, default="")
    text = serializers.CharField(max_length=TEXT_MAX)
    category = serializers.ChoiceField(choices=ComplaintCategory.choices, allow_blank=True, default="")
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.NORMAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["customer"].queryset = customers_for_intake(request.user)


class AssignSerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(),
        error_messages={"does_not_exist": _("Unknown department {value}.")},
    )  # fmt: skip
    note = serializers.CharField(allow_blank=True, default="", max_length=2000)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, default="", max_length=2000)


class ProposeSerializer(serializers.Serializer):
    solution = serializers.CharField(max_length=5000)


class CloseSerializer(serializers.Serializer):
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    root_cause = serializers.CharField(max_length=2000)
    preventive_action = serializers.CharField(max_length=2000)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ClassifySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ComplaintCategory.choices, allow_blank=True)
    severity = serializers.ChoiceField(choices=Severity.choices)


class ComplaintFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ComplaintStatus.choices)
    category = django_filters.ChoiceFilter(choices=ComplaintCategory.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    department = django_filters.CharFilter(field_name="department__code")
    customer = django_filters.CharFilter(field_name="customer__code")

    class Meta:
        model = Complaint
        fields = ["status", "category", "severity", "department", "customer"]


class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Complaints (CMP-01 … CMP-05). Another rep's customer's complaint is a 404 (ORG-02)."""

    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter

    def get_queryset(self):
        return (
            with_flags(complaint_visible_to(self.request.user))
            .select_related("customer", "department")
            .order_by("-received_at", "-pk")
        )

    def _respond(self, complaint: Complaint, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=complaint.pk)
        return Response(ComplaintSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ComplaintCreateSerializer, responses={201: ComplaintSerializer})
    def create(self, request, *args, **kwargs):
        body = ComplaintCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        try:
            complaint = complaint_log(actor=request.user, **body.validated_data)
        except DomainError as error:
            raise_for_api(error)
        return self._respond(complaint, status.HTTP_201_CREATED)

    def _step(self, request, body_class, service):
        complaint = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            complaint = service(actor=request.user, complaint=complaint, **body.validated_data)
        except DomainError as error:
            raise_for_api(error)
        return self._respond(complaint)

    @extend_schema(request=AssignSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], serializer_class=AssignSerializer)
    def assign(self, request, pk=None):
        return self._step(request, AssignSerializer, complaint_assign)

    @extend_schema(request=NoteSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], serializer_class=NoteSerializer)
    def investigate(self, request, pk=None):
        return self._step(request, NoteSerializer, complaint_investigate)

    @extend_schema(request=ProposeSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], serializer_class=ProposeSerializer)
    def propose(self, request, pk=None):
        return self._step(request, ProposeSerializer, complaint_propose)

    @extend_schema(request=NoteSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], serializer_class=NoteSerializer)
    def inform(self, request, pk=None):
        return self._step(request, NoteSerializer, complaint_inform)

    @extend_schema(request=CloseSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], serializer_class=CloseSerializer)
    def close(self, request, pk=None):
        return self._step(request, CloseSerializer, complaint_close)

    @extend_schema(request=ReopenSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], serializer_class=ReopenSerializer)
    def reopen(self, request, pk=None):
        return self._step(request, ReopenSerializer, complaint_reopen)

    @extend_schema(request=ClassifySerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], serializer_class=ClassifySerializer)
    def classify(self, request, pk=None):
        return self._step(request, ClassifySerializer, complaint_classify)


def register(router) -> None:
    router.register("complaints", ComplaintViewSet, basename="complaint")
