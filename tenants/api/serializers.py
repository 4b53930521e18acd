"""What the tenant desk API shows and takes. The names of issue 11 §9 are a contract."""

from rest_framework import serializers

from crm_project.accounts.models import Department

from ..models import Category, Channel, Recording, StorageItem, Tenant, TenantContact, TenantRequest
from ..services.recordings import REASON_MAX
from ..services.requests import DESCRIPTION_MAX
from ..services.storage import ITEM_MAX, LOCATION_MAX, NAME_MAX


class TenantContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = TenantContact
        fields = ["name", "phone", "role", "wechat", "email"]
        read_only_fields = fields


class TenantSerializer(serializers.ModelSerializer):
    contacts = TenantContactSerializer(many=True, read_only=True)

    class Meta:
        model = Tenant
        fields = ["id", "shop_name", "unit", "floor", "business_type", "lease_start", "lease_end", "contacts"]
        read_only_fields = fields


class TenantRequestSerializer(serializers.ModelSerializer):
    tenant = serializers.PrimaryKeyRelatedField(read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    breached = serializers.BooleanField(source="is_breached", read_only=True)
    complaint = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)

    class Meta:
        model = TenantRequest
        fields = [
            "id", "reference", "tenant", "unit", "channel", "category", "description", "source_url", "department",
            "status", "reopen_count", "logged_at", "response_due_at", "resolve_due_at", "responded_at",
            "resolved_at", "confirmed_at", "satisfied", "breached", "complaint",
        ]  # fmt: skip
        read_only_fields = fields


class TenantRequestCreateSerializer(serializers.Serializer):
    tenant = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField(max_length=DESCRIPTION_MAX)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.HOTLINE)
    source_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True, default=None
    )


class RequestAssignSerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())


class RequestRespondSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=DESCRIPTION_MAX)


class RequestResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=DESCRIPTION_MAX)


class RequestConfirmSerializer(serializers.Serializer):
    satisfied = serializers.BooleanField()
    note = serializers.CharField(max_length=DESCRIPTION_MAX, required=False, allow_blank=True, default="")


class RecordingSerializer(serializers.ModelSerializer):
    request = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Recording
        fields = [
            "id", "request", "original_name", "content_type", "size", "uploaded_at", "archived_at", "archive_reason",
            "purged_at",
        ]  # fmt: skip
        read_only_fields = fields


class RecordingUploadSerializer(serializers.Serializer):
    request = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    file = serializers.FileField()


class RecordingReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX)


class StorageItemSerializer(serializers.ModelSerializer):
    tenant = serializers.PrimaryKeyRelatedField(read_only=True)
    received_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = StorageItem
        fields = ["id", "tenant", "item", "location", "received_at", "received_by", "picked_up_at", "picked_up_by"]
        read_only_fields = fields


class StorageItemCreateSerializer(serializers.Serializer):
    tenant = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    item = serializers.CharField(max_length=ITEM_MAX)
    location = serializers.CharField(max_length=LOCATION_MAX)


class StorageItemPickUpSerializer(serializers.Serializer):
    picked_up_by = serializers.CharField(max_length=NAME_MAX)
