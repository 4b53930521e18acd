"""The API's error answers, one shape for all of them: `{"detail": "what went wrong"}`, and
for a refused body its field errors beside it — `{"detail": "…", "month": ["…"]}` — or, for
a list of rows, `{"detail": "…", "errors": [...]}`. `detail` is always one readable sentence.

DRF's own errors (400, 401, 403, 404, 405, 406, 415, 429) pass through `api_exception_handler`;
anything unhandled reaches Django's handler500, which answers JSON of the same shape under
/api/ (crm_project/core/error_pages.py).
"""

from collections.abc import Iterator
from http import HTTPStatus

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large.")
    default_code = "too_large"


def _messages(data) -> Iterator[str]:
    if isinstance(data, dict):
        for value in data.values():
            yield from _messages(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _messages(value)
    elif data not in (None, ""):
        yield str(data)


def error_body(data, *, status_code: int) -> dict:
    """DRF's error data in the API's one shape."""
    if isinstance(data, dict):
        body = dict(data)
        detail = body.pop("detail", None)
    elif isinstance(data, list | tuple):
        plain = all(isinstance(item, str) for item in data)
        body = {} if plain else {"errors": list(data)}
        detail = list(data) if plain else None
    else:
        body, detail = {}, data
    if isinstance(detail, list | tuple | dict):
        detail = " ".join(_messages(detail))
    if not detail:
        detail = next(_messages(body), None) or HTTPStatus(status_code).phrase
    return {"detail": str(detail), **body}


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is not None:
        response.data = error_body(response.data, status_code=response.status_code)
    return response
