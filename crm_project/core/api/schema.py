"""A drf-spectacular postprocessing hook: every operation documents the API's error answers,
once, with their one shape (crm_project/core/api/errors.py), so a client and the fuzz test
(tests/core/test_api_fuzz.py) know every status an operation can answer with."""

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
