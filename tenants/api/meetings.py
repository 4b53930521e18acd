"""/api/v1/tenant-meetings/ (TEN-05) and /api/v1/fee-schedule/ (TEN-10).

Meetings are read under the access registry (the desk and management; anyone else an empty
list, a 404 on a meeting). The fee schedule is public: the items valid today, read-only, with
no login — like the public complaint API, no authentication class runs on it."""

from django.db.models import Prefetch
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import AllowAny

from ..models import FeeScheduleItem, MeetingAttendance, TenantMeeting, TenantRequest
from ..selectors_meetings import fee_items_valid_on, meeting_visible_to

READ_ONLY = ["get", "head", "options"]


class TenantMeetingSerializer(serializers.ModelSerializer):
    attendees = serializers.SerializerMethodField()
    suggestions = serializers.SerializerMethodField()

    class Meta:
        model = TenantMeeting
        fields = ["id", "held_on", "kind", "attendees", "suggestions"]
        read_only_fields = fields

    def get_attendees(self, meeting) -> list[int]:
        return [row.tenant_id for row in meeting.attendances.all()]

    def get_suggestions(self, meeting) -> list[int]:
        return [request.pk for request in meeting.suggestions.all()]


class FeeScheduleItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeScheduleItem
        fields = ["id", "kind", "name", "name_zh", "unit", "amount", "valid_from", "valid_to", "notes"]
        read_only_fields = fields


class TenantMeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tenant meetings 租户大会 (TEN-05): the tenants who attended and the requests raised there."""

    serializer_class = TenantMeetingSerializer
    http_method_names = READ_ONLY

    def get_queryset(self):
        return (
            meeting_visible_to(self.request.user)
            .prefetch_related(
                Prefetch("attendances", queryset=MeetingAttendance.objects.order_by("tenant_id")),
                Prefetch("suggestions", queryset=TenantRequest.objects.order_by("pk")),
            )
            .order_by("-held_on", "-pk")
        )


class FeeScheduleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The published fee schedule (TEN-10): the items valid today; no login."""

    serializer_class = FeeScheduleItemSerializer
    http_method_names = READ_ONLY
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_queryset(self):
        return fee_items_valid_on()


def register(router) -> None:
    router.register("tenant-meetings", TenantMeetingViewSet, basename="tenant-meeting")
    router.register("fee-schedule", FeeScheduleViewSet, basename="fee-schedule")
