"""Months and dates as people type them, within the years the product is for.

One parser for a month ("YYYY-MM") and one range check for a date, used by every form, list
filter, API field and API filter, and so by every `?month=` parameter. A statement for
0001-01 or 1437-05, or a visit in 9999, is refused with a message rather than reaching the
deadline arithmetic. Settings: INPUT_YEAR_MIN and INPUT_YEAR_MAX bound any date typed in (a
contact's birthday may well be in 1960); MONTH_YEAR_MIN is the earliest business month
(statements, purchases, fee standards, the ledger).
"""

import re
from datetime import date, datetime

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

# The API's shape of a month; a form also takes "2026-9" or "2026-09-01".
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
MONTH_SCHEMA = {"type": "string", "pattern": MONTH_PATTERN, "example": "2026-09"}
_STRICT = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])()$")
_LENIENT = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")


def year_range() -> tuple[int, int]:
    return settings.INPUT_YEAR_MIN, settings.INPUT_YEAR_MAX


def month_range() -> tuple[date, date]:
    return date(settings.MONTH_YEAR_MIN, 1, 1), date(settings.INPUT_YEAR_MAX, 12, 1)


def month_error() -> str:
    first, last = month_range()
    return _("Enter a month as YYYY-MM between %(first)s and %(last)s, e.g. 2026-09.") % {
        "first": f"{first:%Y-%m}",
        "last": f"{last:%Y-%m}",
    }


def parse_month(value, *, strict: bool = False) -> date:
    """ "2026-09" → 1 September 2026; unless `strict` (the API), also "2026-9" and "2026-09-01"
    (a browser without a month picker). ValueError for anything else, and for a month outside
    `month_range()`."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        month = value.replace(day=1)
    else:
        match = (_STRICT if strict else _LENIENT).fullmatch(str(value if value is not None else ""))
        if not match:
            raise ValueError(f"not a month: {str(value)[:20]!r}")
        year, number, day = int(match[1]), int(match[2]), match[3]
        month = date(year, number, 1)
        if day:
            date(year, number, int(day))  # a real day of that month
    first, last = month_range()
    if not first <= month <= last:
        raise ValueError(f"month out of range: {month:%Y-%m}")
    return month


def validate_date_in_range(value) -> None:
    """A validator for any date or moment typed in: its year within INPUT_YEAR_MIN … INPUT_YEAR_MAX."""
    first, last = year_range()
    if value is not None and not first <= value.year <= last:
        raise ValidationError(
            _("Enter a date between the years %(first)s and %(last)s."),
            code="date_range",
            params={"first": first, "last": last},
        )


def bound_every_date_field() -> None:
    """Make the range check a default validator of every date and date-time field: Django's
    form fields (so ModelForms, django-filter and the admin) and DRF's serializer fields. A
    default rather than a validator added field by field, so no date input can miss it."""
    from rest_framework import serializers

    for field_class in (forms.DateField, forms.DateTimeField, serializers.DateField, serializers.DateTimeField):
        if validate_date_in_range not in field_class.default_validators:
            field_class.default_validators = [*field_class.default_validators, validate_date_in_range]


class MonthInput(forms.TextInput):
    """The browser's month picker; a plain text box with the YYYY-MM hint where there is none."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "YYYY-MM", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            return f"{value:%Y-%m}"
        return super().format_value(value)


class MonthField(forms.Field):
    """A month as "YYYY-MM"; cleaned to its first day."""

    widget = MonthInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise ValidationError(month_error(), code="invalid") from None


@extend_schema_field(MONTH_SCHEMA)
class MonthFilter(django_filters.Filter):
    """A list filter on a month column, from `?month=YYYY-MM` (pages and the API alike)."""

    field_class = MonthField
