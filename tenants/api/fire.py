"""/api/v1/fire-inspections/ and /api/v1/rectifications/ (TEN-07): read-only, under the access
registry — the fire team and management see them; anyone else gets an empty list and 404 on a
record (ORG-02). The field names and status values are a contract."""

import django_filters
from django.db.models import Prefetch
from rest_framework import mixins, serializers, viewsets

from ..models import InspectionResult, Rectification
from ..selectors_fire import inspection_visible_to, rectification_visible_to

READ_ONLY = ["get", "head", "options"]


class InspectionResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionResult
        fields = ["unit", "passed", "findings"]
        read_only_fields = fields


class FireInspectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    month = serializers.DateField(read_only=True)
    results = InspectionResultSerializer(many=True, read_only=True, source="first_results")


class RectificationSerializer(serializers.ModelSerializer):
    tenant = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Rectification
        fields = ["id", "tenant", "findings", "due_on", "status"]
        read_only_fields = fields


class FireInspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The monthly inspections, newest first; `results` are the first check of each unit."""

    serializer_class = FireInspectionSerializer
    http_method_names = READ_ONLY

    def get_queryset(self):
        first = InspectionResult.objects.filter(reinspects__isnull=True).order_by("unit", "pk")
        return (
            inspection_visible_to(self.request.user)
            .prefetch_related(Prefetch("results", queryset=first, to_attr="first_results"))
            .order_by("-month", "pk")
        )


class RectificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Rectification.Status.choices)
    tenant = django_filters.NumberFilter(field_name="tenant_id")


class RectificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RectificationSerializer
    filterset_class = RectificationFilter
    http_method_names = READ_ONLY

    def get_queryset(self):
        return rectification_visible_to(self.request.user).order_by("due_on", "pk")


def register(router) -> None:
    router.register("fire-inspections", FireInspectionViewSet, basename="fire-inspection")
    router.register("rectifications", RectificationViewSet, basename="rectification")
