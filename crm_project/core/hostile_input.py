"""Input no view can use, refused before any view or query sees it.

A NUL character in the path, the query string, a cookie, a header or a form field answers 400:
PostgreSQL can neither store nor compare it, and a session cookie, a token or a lookup by code
holding one used to end in a DataError 500. A body over the limits answers 413: declared
larger than REQUEST_MAX_BODY_MB, or over Django's DATA_UPLOAD_MAX_MEMORY_SIZE,
DATA_UPLOAD_MAX_NUMBER_FIELDS or DATA_UPLOAD_MAX_NUMBER_FILES once read. Both with the app's
own page, or JSON under /api/. JSON bodies are checked by the API's parser
(crm_project/core/api/parsers.py).
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent

from . import error_pages

TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def unusable_text(text: str) -> bool:
    """NUL, or a lone surrogate (text that is not valid Unicode and cannot be stored)."""
    if "\x00" in text:
        return True
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _declared_too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django treats an unreadable length as none
    return length > settings.REQUEST_MAX_BODY_MB * 1024 * 1024


def _has_unusable_text(request) -> bool:
    texts = [request.path_info]
    for key, values in request.GET.lists():
        texts += [key, *values]
    for key, value in request.COOKIES.items():
        texts += [key, value]
    texts += [value for key, value in request.META.items() if key.startswith("HTTP_") and isinstance(value, str)]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        for key, values in request.POST.lists():
            texts += [key, *values]
        for key, upload in request.FILES.items():
            texts += [key, upload.name or ""]
    return any(unusable_text(text) for text in texts)


class HostileInputMiddleware:
    """Placed before the session middleware, so not even the session lookup sees a NUL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _declared_too_large(request):
            return error_pages.too_large(request)
        try:
            if _has_unusable_text(request):
                return error_pages.error_response(request, 400, detail=error_pages.UNUSABLE_TEXT)
        except TOO_LARGE:
            return error_pages.too_large(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A view that reads a body over Django's limits (request.POST, request.body)."""
        if isinstance(exception, TOO_LARGE):
            return error_pages.too_large(request)
        return None
