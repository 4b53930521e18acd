from datetime import date

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..months import MONTH_SCHEMA, month_error, parse_month


@extend_schema_field(MONTH_SCHEMA)
class MonthField(serializers.Field):
    """A month as "YYYY-MM" (in and out); the first day of it inside."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, e.g. 2026-09.")}

    def to_internal_value(self, data) -> date:
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return parse_month(data, strict=True)
        except ValueError:
            raise serializers.ValidationError(month_error(), code="invalid") from None

    def to_representation(self, value: date) -> str:
        return f"{value:%Y-%m}"
