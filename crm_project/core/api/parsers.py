"""The API's request parsers: DRF's, refusing with 400 what no endpoint can use — a NUL
character or a lone surrogate in any string (PostgreSQL cannot store either, and a lookup by
such a code used to end in a DataError 500), JSON nested deeper than JSON_MAX_DEPTH (it used
to end in a RecursionError 500) — and with 413 a JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE,
which DRF would otherwise read whole whatever its size.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

from ..hostile_input import unusable_text
from .errors import RequestTooLarge


def _unusable(field: str | None) -> ParseError:
    """Named after the body's top-level field that holds it, where there is one."""
    message = _("The request contains characters that cannot be stored (NUL or invalid Unicode).")
    return ParseError({field: [message]} if field else message)


def _check_strings(data, *, max_depth: int) -> None:
    """Walk the parsed data (without recursion, so depth cannot hurt) and refuse unusable text."""
    stack = [(data, 1, None)]
    while stack:
        value, depth, field = stack.pop()
        if isinstance(value, str):
            if unusable_text(value):
                raise _unusable(field)
            continue
        if isinstance(value, dict | list):
            if depth > max_depth:
                raise ParseError(_("The JSON is nested too deeply (at most %(max)s levels).") % {"max": max_depth})
            items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
            for key, item in items:
                inner = field or (key if depth == 1 and isinstance(key, str) and not unusable_text(key) else None)
                if isinstance(key, str):
                    stack.append((key, depth, field))
                stack.append((item, depth + 1, inner))


def _check_form(data) -> None:
    for key, values in data.lists():
        if unusable_text(key):
            raise _unusable(None)
        if any(isinstance(value, str) and unusable_text(value) for value in values):
            raise _unusable(key)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge()
        try:
            data = json.loads(raw.decode(encoding), parse_constant=json.strict_constant if self.strict else None)
        except RecursionError:
            raise ParseError(
                _("The JSON is nested too deeply (at most %(max)s levels).") % {"max": settings.JSON_MAX_DEPTH}
            ) from None
        except ValueError as error:  # also UnicodeDecodeError
            raise ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
        _check_strings(data, max_depth=settings.JSON_MAX_DEPTH)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _check_form(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _check_form(result.data)
        return result
