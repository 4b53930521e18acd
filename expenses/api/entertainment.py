"""/api/v1/expense-applications/ and /api/v1/expense-claims/ (EXP-17): applications before the
event and claims after it, read under the access registry (ORG-02). An application shows its
`approvals` given and the `needs` still missing; actions approve/, reject/ ({comment}),
record/ and allow-late-claim/ ({reason}, finance). A claim is filed as multipart with its
`receipts`; actions approve/ (department head), accept/ (finance) and reject/ ({comment}). A
refusal answers 400 (403 when the role may never do it) and changes nothing."""

from decimal import Decimal

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from customers.api.common import CodeRelatedField, call_service

from ..models import (
    ApplicationApproval,
    ApprovalRole,
    ClaimReceipt,
    ExpenseApplication,
    ExpenseCategory,
    ExpenseClaim,
)
from ..selectors_expenses import applications_for, claims_for
from ..services import applications as application_services
from ..services import claims as claim_services
from ..services.claims import MAX_RECEIPTS
from .budgets import MONEY, USER

TEXT_MAX = 2000
CENT = Decimal("0.01")


class ApprovalSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(**USER)

    class Meta:
        model = ApplicationApproval
        fields = ["role", "user", "at"]
        read_only_fields = fields


class ExpenseApplicationSerializer(serializers.ModelSerializer):
    applicant = serializers.SlugRelatedField(**USER)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    superior = serializers.SlugRelatedField(**USER)
    category = CodeRelatedField(queryset=ExpenseCategory.objects.filter(applications=True))
    guest = serializers.CharField(max_length=200)
    organisation = serializers.CharField(max_length=200)
    reason = serializers.CharField(max_length=TEXT_MAX)
    persons = serializers.IntegerField(min_value=1, max_value=1000)
    estimated_cost = serializers.DecimalField(min_value=CENT, **MONEY)
    approvals = ApprovalSerializer(many=True, read_only=True)
    needs = serializers.SerializerMethodField()

    class Meta:
        model = ExpenseApplication
        fields = ["id", "applicant", "department", "category", "filed_on", "event_date", "guest", "organisation",
                  "reason", "persons", "estimated_cost", "above_cap", "status", "superior", "approvals", "needs",
                  "claim_due_by", "recorded_at", "rejected_at", "comment", "late_claim_reason",
                  "late_claim_allowed_at"]  # fmt: skip
        read_only_fields = ["filed_on", "above_cap", "status", "claim_due_by", "recorded_at", "rejected_at",
                            "comment", "late_claim_reason", "late_claim_allowed_at"]  # fmt: skip

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ApprovalRole.choices)))
    def get_needs(self, application) -> list[str]:
        return application_services.missing_steps(application)


class ExpenseCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=TEXT_MAX)


class LateClaimReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX)


def _text(serializer_class, request, name: str) -> str:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data[name]


class ExpenseApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ExpenseApplicationSerializer
    filterset_fields = {"status": ["exact"], "category__code": ["exact"], "department__code": ["exact"],
                        "event_date": ["exact", "gte", "lte"]}  # fmt: skip

    def get_queryset(self):
        return applications_for(self.request.user).select_related("superior").order_by("-event_date", "-pk")

    def _answer(self, application, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = call_service(
            application_services.application_file, actor=request.user, **serializer.validated_data
        )
        return self._answer(application, status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(call_service(application_services.application_approve, actor=request.user,
                                 application=self.get_object()))  # fmt: skip

    @extend_schema(request=ExpenseCommentSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        application = self.get_object()
        comment = _text(ExpenseCommentSerializer, request, "comment")
        return self._answer(call_service(application_services.application_reject, actor=request.user,
                                 application=application, comment=comment))  # fmt: skip

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        return self._answer(call_service(application_services.application_record, actor=request.user,
                                 application=self.get_object()))  # fmt: skip

    @extend_schema(request=LateClaimReasonSerializer)
    @action(detail=True, methods=["post"], url_path="allow-late-claim")
    def allow_late_claim(self, request, pk=None):
        application = self.get_object()
        reason = _text(LateClaimReasonSerializer, request, "reason")
        return self._answer(call_service(application_services.application_allow_late_claim, actor=request.user,
                                 application=application, reason=reason))  # fmt: skip


class ReceiptSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ClaimReceipt
        fields = ["id", "name", "content_type", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, receipt) -> str:
        return reverse("expenses:expense_claim_receipt", args=[receipt.claim_id, receipt.pk])


class ExpenseClaimSerializer(serializers.ModelSerializer):
    application = serializers.PrimaryKeyRelatedField(queryset=ExpenseApplication.objects.none())
    amount = serializers.DecimalField(min_value=CENT, **MONEY)
    explanation = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    receipts = ReceiptSerializer(many=True, read_only=True)
    head_approved_by = serializers.SlugRelatedField(**USER)
    accepted_by = serializers.SlugRelatedField(**USER)
    rejected_by = serializers.SlugRelatedField(**USER)

    class Meta:
        model = ExpenseClaim
        fields = ["id", "application", "amount", "explanation", "status", "due_by", "late", "above_estimate",
                  "filed_at", "receipts", "head_approved_by", "head_approved_at", "accepted_by", "accepted_at",
                  "rejected_by", "rejected_at", "comment"]  # fmt: skip
        read_only_fields = ["status", "due_by", "late", "above_estimate", "filed_at", "head_approved_at",
                            "accepted_at", "rejected_at", "comment"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["application"].queryset = applications_for(request.user)


class ClaimFilingSerializer(ExpenseClaimSerializer):
    """What a claim is filed with: the fields above and the receipt files (images or PDF)."""

    receipts = serializers.ListField(
        child=serializers.FileField(max_length=200), min_length=1, max_length=MAX_RECEIPTS, write_only=True
    )


class ExpenseClaimViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ExpenseClaimSerializer
    filterset_fields = ["status", "application"]

    def get_queryset(self):
        return (
            claims_for(self.request.user)
            .select_related("head_approved_by", "accepted_by", "rejected_by")
            .prefetch_related("receipts")
            .order_by("-filed_at", "-pk")
        )

    def _answer(self, claim, code=status.HTTP_200_OK) -> Response:
        return Response(ExpenseClaimSerializer(self.get_queryset().get(pk=claim.pk)).data, status=code)

    @extend_schema(request={"multipart/form-data": ClaimFilingSerializer}, responses={201: ExpenseClaimSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ClaimFilingSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        claim = call_service(claim_services.claim_file, actor=request.user, **serializer.validated_data)
        return self._answer(claim, status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(call_service(claim_services.claim_approve, actor=request.user, claim=self.get_object()))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(call_service(claim_services.claim_accept, actor=request.user, claim=self.get_object()))

    @extend_schema(request=ExpenseCommentSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        claim = self.get_object()
        comment = _text(ExpenseCommentSerializer, request, "comment")
        return self._answer(call_service(claim_services.claim_reject, actor=request.user, claim=claim, comment=comment))


def register(router) -> None:
    router.register("expense-applications", ExpenseApplicationViewSet, basename="expense-application")
    router.register("expense-claims", ExpenseClaimViewSet, basename="expense-claim")
