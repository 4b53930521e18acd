"""The rapport-fee API's shapes (issue 4 §12: integrations rely on these names). Money is a
decimal string; months are "YYYY-MM"; moments are ISO 8601 in Asia/Shanghai (+08:00)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from crm_project.core.api.fields import MonthField
from customers.models import Product

from ..models import FeeStandard, FeeTier, LedgerEntry, Statement
from ..models.common import MONEY, ZERO
from ..services.review import current_signatures, waiting_for


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(**MONEY, **kwargs)


# --- fee standards (EXP-02) ---------------------------------------------------------------


class FeeTierSerializer(serializers.ModelSerializer):
    min_quantity = serializers.IntegerField(min_value=1)
    max_quantity = serializers.IntegerField(min_value=1, allow_null=True, required=False, default=None)
    fee_per_unit = money(min_value=ZERO)

    class Meta:
        model = FeeTier
        fields = ["min_quantity", "max_quantity", "fee_per_unit"]


class FeeStandardSerializer(serializers.ModelSerializer):
    product = serializers.SlugRelatedField(slug_field="code", queryset=Product.objects.filter(active=True))
    tiers = FeeTierSerializer(many=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = FeeStandard
        fields = ["id", "product", "valid_from", "tiers", "created_by", "created_at"]
        read_only_fields = ["created_at"]
        validators = []  # the service says "already has a standard from …" in the user's words

    def validate_tiers(self, tiers):
        if not tiers:
            raise serializers.ValidationError(_("A standard needs at least one tier."))
        return tiers


# --- statements (EXP-04 … EXP-08) ----------------------------------------------------------


class StatementCreateSerializer(serializers.Serializer):
    month = MonthField()


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=2000)


class NotesSerializer(serializers.Serializer):
    notes = serializers.CharField(allow_blank=True, max_length=5000)


def _line(line) -> dict:
    return {
        "customer": line.customer.code,
        "customer_name": line.customer.name,
        "product": line.product.code,
        # A carry-over line is for an earlier purchase month (EXP-04); the month tells a
        # customer and product's several lines apart.
        "purchase_month": f"{line.purchase_month:%Y-%m}",
        "net_quantity": str(line.net_quantity),
        "net_sales": str(line.net_sales),
        "collected": str(line.collected),
        "fee_per_unit": str(line.fee_per_unit),
        "fee": str(line.fee),
        "payable": str(line.payable),
        "blocked": line.blocked,
        "note": line.note,
        "allocations": [
            {"contact": allocation.contact_id, "share": str(allocation.share), "amount": str(allocation.amount)}
            for allocation in line.allocations.all()
        ],
    }


class AllocationShape(serializers.Serializer):
    """The documented shape of `_line()`'s allocations (the API schema only)."""

    contact = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=5, decimal_places=2)
    amount = money()


class StatementLineShape(serializers.Serializer):
    """The documented shape of `_line()` (the API schema only)."""

    customer = serializers.CharField()
    customer_name = serializers.CharField()
    product = serializers.CharField()
    purchase_month = MonthField()
    net_quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    net_sales = money()
    collected = money()
    fee_per_unit = money()
    fee = money()
    payable = money()
    blocked = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)
    allocations = AllocationShape(many=True)


class SignatureShape(serializers.Serializer):
    role = serializers.CharField()
    user = serializers.CharField()
    signed_at = serializers.DateTimeField()


class StatementSerializer(serializers.ModelSerializer):
    """Read shape. Expects `lines` (with customer, product, allocations) and `signatures`
    (with user) prefetched, so a list costs the same number of queries for any size."""

    month = MonthField(read_only=True)
    rep = serializers.SlugRelatedField(slug_field="username", read_only=True)
    due_at = serializers.DateTimeField(read_only=True)
    review_due_at = serializers.DateTimeField(read_only=True)
    waiting_for = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    signatures = serializers.SerializerMethodField()
    valid = serializers.SerializerMethodField()
    archived_original_at = serializers.DateTimeField(read_only=True, allow_null=True)
    archived_original_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    archived_copy_at = serializers.DateTimeField(read_only=True, allow_null=True)
    archived_copy_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Statement
        fields = [
            "id", "month", "rep", "status", "waiting_for", "cycle", "late", "late_by", "due_at", "review_due_at",
            "submitted_at", "valid_at", "notes", "lines", "total", "signatures", "valid",
            "archived_original_at", "archived_original_by", "archived_copy_at", "archived_copy_by",
        ]  # fmt: skip
        read_only_fields = fields

    def get_waiting_for(self, statement) -> str | None:
        return waiting_for(statement)

    @extend_schema_field(StatementLineShape(many=True))
    def get_lines(self, statement) -> list[dict]:
        return [_line(line) for line in statement.lines.all()]

    def get_total(self, statement) -> str:
        return str(sum((line.payable for line in statement.lines.all()), start=ZERO))

    @extend_schema_field(SignatureShape(many=True))
    def get_signatures(self, statement) -> list[dict]:
        return [
            {
                "role": signature.role,
                "user": signature.user.username,
                "signed_at": serializers.DateTimeField().to_representation(signature.signed_at),
            }
            for signature in current_signatures(statement)
        ]

    def get_valid(self, statement) -> bool:
        return statement.is_valid


# --- ledger (EXP-03) ------------------------------------------------------------------------


class LedgerEntrySerializer(serializers.ModelSerializer):
    month = MonthField(read_only=True)
    account = serializers.SerializerMethodField()
    product = serializers.SerializerMethodField()
    rep = serializers.SlugRelatedField(slug_field="username", read_only=True)
    customer = serializers.SlugRelatedField(slug_field="code", read_only=True)
    posted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id", "kind", "amount", "month", "account", "product", "rep", "statement", "customer", "contact",
            "advance", "posted_by", "posted_at", "note",
        ]  # fmt: skip
        read_only_fields = fields

    def get_account(self, entry) -> dict | None:
        return {"id": entry.account_id, "name": entry.account.name} if entry.account_id else None

    def get_product(self, entry) -> str | None:
        return entry.account.product.code if entry.account_id else None
