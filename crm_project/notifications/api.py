from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import Notification
from .selectors import notification_visible_to
from .services import notification_mark_read


class NotificationSerializer(serializers.ModelSerializer):
    """`title` and `body` are rendered in the requesting user's language (JOB-10): a token
    call has no session, so the user's profile language is applied here, not by the middleware."""

    title = serializers.CharField(source="rendered_title", read_only=True)
    body = serializers.CharField(source="rendered_body", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]

    def to_representation(self, instance):
        request = self.context.get("request")
        language = getattr(getattr(request, "user", None), "language", None)
        with translation.override(language or translation.get_language()):
            return super().to_representation(instance)


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own inbox (JOB-10)."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        return notification_visible_to(self.request.user)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        notification_mark_read(user=request.user, notification_ids=[notification.pk])
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)
