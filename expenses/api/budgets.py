"""/api/v1/budgets/ and /api/v1/budget-adjustments/ (EXP-16): read under the access registry
(ORG-02), each line with its figures derived from the records (`in_force`, `committed`,
`spent`, `remaining`, money as decimal strings). Finance prepares (POST), management approves
(`…/{id}/approve/`). A refusal answers 400 (403 when the role may never do it) and changes
nothing."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crm_project.accounts.access import visible_to
from crm_project.accounts.models import Department
from customers.api.common import CodeRelatedField, call_service

from ..models import Budget, BudgetAdjustment, ExpenseCategory
from ..selectors_budgets import budgets_for
from ..services.budgets import adjustment_approve, adjustment_prepare, budget_approve, budget_prepare

USER = {"slug_field": "username", "read_only": True}
MONEY = {"max_digits": 14, "decimal_places": 2}
FIGURE = {**MONEY, "read_only": True}


class BudgetSerializer(serializers.ModelSerializer):
    department = CodeRelatedField(queryset=Department.objects.all())
    category = CodeRelatedField(queryset=ExpenseCategory.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    amount = serializers.DecimalField(min_value=0, **MONEY)
    in_force = serializers.DecimalField(**FIGURE)
    committed = serializers.DecimalField(**FIGURE)
    spent = serializers.DecimalField(**FIGURE)
    remaining = serializers.DecimalField(**FIGURE)
    prepared_by = serializers.SlugRelatedField(**USER)
    approved_by = serializers.SlugRelatedField(**USER)

    class Meta:
        model = Budget
        fields = ["id", "year", "department", "category", "amount", "note", "status", "in_force", "committed",
                  "spent", "remaining", "prepared_by", "prepared_at", "approved_by", "approved_at"]  # fmt: skip
        read_only_fields = ["status", "prepared_at", "approved_at"]
        validators = []  # the service says which line already exists, in words


class BudgetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = BudgetSerializer
    filterset_fields = {"year": ["exact"], "status": ["exact"], "department__code": ["exact"],
                        "category__code": ["exact"]}  # fmt: skip

    def get_queryset(self):
        return (
            budgets_for(self.request.user)
            .select_related("prepared_by", "approved_by")
            .order_by("-year", "department__code", "category__order", "pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        budget = call_service(budget_prepare, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=budget.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        budget = call_service(budget_approve, actor=request.user, budget=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=budget.pk)).data)


class BudgetAdjustmentSerializer(serializers.ModelSerializer):
    budget = serializers.PrimaryKeyRelatedField(queryset=Budget.objects.none())
    amount = serializers.DecimalField(**MONEY)
    reason = serializers.CharField(max_length=2000)
    prepared_by = serializers.SlugRelatedField(**USER)
    approved_by = serializers.SlugRelatedField(**USER)

    class Meta:
        model = BudgetAdjustment
        fields = ["id", "budget", "amount", "reason", "status", "prepared_by", "prepared_at", "approved_by",
                  "approved_at"]  # fmt: skip
        read_only_fields = ["status", "prepared_at", "approved_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["budget"].queryset = visible_to(request.user, Budget)


class BudgetAdjustmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = BudgetAdjustmentSerializer
    filterset_fields = ["status", "budget"]

    def get_queryset(self):
        return (
            visible_to(self.request.user, BudgetAdjustment)
            .select_related("prepared_by", "approved_by")
            .order_by("-prepared_at", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        adjustment = call_service(adjustment_prepare, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(adjustment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        adjustment = call_service(adjustment_approve, actor=request.user, adjustment=self.get_object())
        return Response(self.get_serializer(adjustment).data)


def register(router) -> None:
    router.register("budgets", BudgetViewSet, basename="budget")
    router.register("budget-adjustments", BudgetAdjustmentViewSet, basename="budget-adjustment")
