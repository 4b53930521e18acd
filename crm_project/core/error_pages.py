"""The app's own error answers: for people a page in their language (templates/400.html …
500.html), under /api/ JSON of the API's one shape, `{"detail": "…"}`.

Wired as handler400/403/404/500 in crm_project/urls.py; `too_large()` (413) is answered by
the middleware that detects it (hostile_input.py). The 500 answer needs neither the database
nor a request context: it is what is left when something has failed.
"""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token

API_PREFIX = "/api/"

DETAILS = {
    400: _("The request could not be understood."),
    403: _("You may not do this."),
    404: _("Not found."),
    413: _("The request is too large."),
    500: _("Server error. It was logged; please try again later."),
}
UNUSABLE_TEXT = _("The request contains characters that cannot be stored (NUL or invalid Unicode).")
CSRF_FAILED = _("The form was too old or came from another site. Reload the page and send it again.")


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _language(request) -> str:
    """The language LocaleMiddleware chose, or, for an answer given before it ran, the one it would choose."""
    return getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)


def error_response(request, status: int, *, detail=None) -> HttpResponse:
    """`detail` says more than the page's heading (or, under /api/, than the status's default)."""
    with translation.override(_language(request)):
        if is_api(request):
            response = JsonResponse({"detail": str(detail or DETAILS[status])}, status=status)
        else:
            response = render(request, f"{status}.html", {"detail": detail}, status=status)
    return response


def too_large(request) -> HttpResponse:
    return error_response(request, 413)


@requires_csrf_token
def bad_request(request, exception=None):
    return error_response(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return error_response(request, 403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the app's own 403 page (Django's would speak of DEBUG settings)."""
    return error_response(request, 403, detail=CSRF_FAILED)


@requires_csrf_token
def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    if is_api(request):
        return JsonResponse({"detail": str(DETAILS[500])}, status=500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)
