"""The API schema as the API really answers (tests/core/test_api_fuzz.py holds every answer
to it):

- `AutoSchema` marks a read-only field nullable, or its enum open to "", when the model column
  behind it may be NULL or blank. DRF drops `allow_null`/`allow_blank` from read-only fields,
  so a `manager` that is null until the manager signs, or a `category` not yet given, were
  documented as always present.
- `document_errors`, a postprocessing hook, documents the API's error answers once for every
  operation, with their one shape (crm_project/core/api/errors.py).
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from rest_framework import serializers


def _model_field(field):
    """The model column a serializer field shows (following relations), and whether any step
    of the way may be NULL; (None, False) when it is not a plain path of model fields."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    attrs = getattr(field, "source_attrs", None)
    if model is None or not attrs or isinstance(field, serializers.ManyRelatedField | serializers.ListSerializer):
        return None, False
    nullable = False
    model_field = None
    for index, attr in enumerate(attrs):
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return None, False
        nullable = nullable or bool(getattr(model_field, "null", False))
        if index < len(attrs) - 1:
            if not model_field.is_relation or model_field.many_to_many or model_field.one_to_many:
                return None, False
            model = model_field.related_model
    return model_field, nullable


class AutoSchema(openapi.AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if field.read_only and direction == "response":
            model_field, nullable = _model_field(field)
            if nullable:
                field.allow_null = True  # read-only: only the schema reads it
            if model_field is not None and getattr(model_field, "blank", False) and hasattr(field, "allow_blank"):
                field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)


ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: `detail` says what went wrong; a refused body adds its field errors "
    '(`{"detail": "…", "month": ["…"]}`) or, for a list of rows, `errors`.',
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "additionalProperties": True,
}
ERRORS = {
    "400": "The request is not valid (field errors beside `detail`); nothing was written.",
    "401": "Not signed in, or the credentials are not valid.",
    "403": "Signed in, but this role may not do this.",
    "404": "No such record, or it is not visible to the caller.",
    "429": "Too many requests; try again after `Retry-After` seconds.",
}
BODY_ERRORS = {
    "413": "The request body is too large.",
    "415": "The body is not in a supported content type.",
}


def document_errors(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            errors = dict(ERRORS)
            if "requestBody" in operation:
                errors.update(BODY_ERRORS)
            for code, description in errors.items():
                response = responses.setdefault(code, {"description": description})
                response.setdefault("content", content)
    return result
