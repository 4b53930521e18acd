"""/api/v1/tenants/, tenant-requests/, recordings/, storage-items/ (TEN-01 … TEN-04, TEN-09):
read under the access registry — a record the caller may not see is a 404, a caller who sees
none gets an empty list (ORG-02). Writes call the same services as the pages: a step the rules
refuse answers 400 with the message, a role that may never take it 403; nothing changes."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from crm_project.core.api.parsers import JSONParser
from crm_project.core.errors import PermissionDenied
from customers.api.common import call_service, raise_for_api

from ..models import Category, Channel, Status
from ..permissions import can_keep_archive, can_log
from ..selectors import (
    breached,
    recording_visible_to,
    request_visible_to,
    search_tenants,
    storage_visible_to,
    tenant_visible_to,
    with_flags,
)
from ..services import recordings, requests, storage
from . import fire, meetings, notices, visits
from . import serializers as s

READ_ONLY = ["get", "head", "options"]
WRITES = ["get", "post", "head", "options"]


def _body(serializer_class, request) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def _tenant(user, pk: int):
    tenant = tenant_visible_to(user).filter(pk=pk).first()
    if tenant is None:
        raise ValidationError({"tenant": [_("Unknown tenant.")]})
    return tenant


class TenantFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", max_length=100)
    floor = django_filters.CharFilter(field_name="floor", max_length=10)

    def filter_search(self, queryset, name, value):
        return search_tenants(queryset, value)


class TenantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The tenant archive (TEN-01), confidential (ORG-02)."""

    serializer_class = s.TenantSerializer
    filterset_class = TenantFilter
    http_method_names = READ_ONLY

    def get_queryset(self):
        return tenant_visible_to(self.request.user).prefetch_related("contacts").order_by("unit", "pk")


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    department = django_filters.CharFilter(field_name="department__code", max_length=40)
    tenant = django_filters.NumberFilter(field_name="tenant_id", min_value=1, max_value=2**31 - 1)
    breached = django_filters.BooleanFilter(method="filter_breached")

    def filter_breached(self, queryset, name, value):
        return queryset.filter(breached()) if value else queryset.exclude(breached())


UPDATED = OpenApiResponse(s.TenantRequestSerializer, description="The request after the step.")


class TenantRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The request log (TEN-02) with its targets (TEN-03) and steps."""

    serializer_class = s.TenantRequestSerializer
    filterset_class = RequestFilter
    http_method_names = WRITES

    def get_queryset(self):
        visible = request_visible_to(self.request.user).select_related("department", "complaint")
        return with_flags(visible).order_by("-logged_at", "-pk")

    def _respond(self, request_pk: int, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=request_pk)).data, status=code)

    @extend_schema(request=s.TenantRequestCreateSerializer, responses={201: s.TenantRequestSerializer})
    def create(self, request, *args, **kwargs):
        values = _body(s.TenantRequestCreateSerializer, request)
        values["tenant"] = _tenant(request.user, values["tenant"]) if can_log(request.user) else None
        if values["tenant"] is None:
            raise_for_api(PermissionDenied(_("Only the operations desk logs tenant requests.")))
        created = call_service(requests.request_log, actor=request.user, **values)
        return self._respond(created.pk, status.HTTP_201_CREATED)

    def _step(self, request, service, body_class):
        tenant_request = self.get_object()
        values = _body(body_class, request)
        call_service(service, actor=request.user, request=tenant_request, **values)
        return self._respond(tenant_request.pk)

    @extend_schema(request=s.RequestAssignSerializer, responses=UPDATED)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._step(request, requests.request_assign, s.RequestAssignSerializer)

    @extend_schema(request=s.RequestRespondSerializer, responses=UPDATED)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        return self._step(request, requests.request_respond, s.RequestRespondSerializer)

    @extend_schema(request=s.RequestResolveSerializer, responses=UPDATED)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._step(request, requests.request_resolve, s.RequestResolveSerializer)

    @extend_schema(request=s.RequestConfirmSerializer, responses=UPDATED, description="`satisfied: false` reopens it.")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._step(request, requests.request_confirm, s.RequestConfirmSerializer)


class RecordingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Call recordings (TEN-04): multipart upload; `archive/` keeps one from the purge."""

    serializer_class = s.RecordingSerializer
    http_method_names = WRITES
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return recording_visible_to(self.request.user).order_by("-uploaded_at", "-pk")

    @extend_schema(request={"multipart/form-data": s.RecordingUploadSerializer}, responses={201: s.RecordingSerializer})
    def create(self, request, *args, **kwargs):
        values = _body(s.RecordingUploadSerializer, request)
        tenant_request = request_visible_to(request.user).filter(pk=values["request"]).first()
        if tenant_request is None:
            raise ValidationError({"request": [_("Unknown request.")]})
        recording = call_service(
            recordings.recording_upload, actor=request.user, request=tenant_request, file=values["file"]
        )
        return Response(self.get_serializer(recording).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RecordingReasonSerializer, responses=s.RecordingSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, FormParser, MultiPartParser])
    def archive(self, request, pk=None):
        recording = self.get_object()
        values = _body(s.RecordingReasonSerializer, request)
        recording = call_service(recordings.recording_archive, actor=request.user, recording=recording, **values)
        return Response(self.get_serializer(recording).data)


class StorageFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(field_name="picked_up_at", lookup_expr="isnull")


class StorageItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The temporary storage log (TEN-09); `?open=true` lists the items not picked up."""

    serializer_class = s.StorageItemSerializer
    filterset_class = StorageFilter
    http_method_names = WRITES

    def get_queryset(self):
        return storage_visible_to(self.request.user).select_related("received_by").order_by("received_at", "pk")

    @extend_schema(request=s.StorageItemCreateSerializer, responses={201: s.StorageItemSerializer})
    def create(self, request, *args, **kwargs):
        values = _body(s.StorageItemCreateSerializer, request)
        if not can_keep_archive(request.user):
            raise_for_api(PermissionDenied(_("Only the operations desk keeps the storage log.")))
        values["tenant"] = _tenant(request.user, values["tenant"])
        item = call_service(storage.storage_receive, actor=request.user, **values)
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.StorageItemPickUpSerializer, responses=s.StorageItemSerializer)
    @action(detail=True, methods=["post"], url_path="pick-up")
    def pick_up(self, request, pk=None):
        item = self.get_object()
        values = _body(s.StorageItemPickUpSerializer, request)
        item = call_service(storage.storage_pick_up, actor=request.user, item=item, **values)
        return Response(self.get_serializer(item).data)


def register(router) -> None:
    router.register("tenants", TenantViewSet, basename="tenant")
    router.register("tenant-requests", TenantRequestViewSet, basename="tenant-request")
    router.register("recordings", RecordingViewSet, basename="recording")
    router.register("storage-items", StorageItemViewSet, basename="storage-item")
    meetings.register(router)  # tenant-meetings/, fee-schedule/ (TEN-05, TEN-10)
    fire.register(router)  # fire-inspections/, rectifications/ (TEN-07)
    notices.register(router)  # /api/v1/notices/ (TEN-06)
    visits.register(router)  # tenant-visits/, bulk-notices/ (TEN-08)
