"""The project's URLs plus views that fail, for the error-answer tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from crm_project.urls import handler400, handler403, handler404, handler500  # noqa: F401 (the urlconf's handlers)
from crm_project.urls import urlpatterns as project_urlpatterns


def crash(request):
    raise RuntimeError("boom")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("odd")


@api_view(["GET"])
@permission_classes([AllowAny])
def api_crash(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("boom/", crash),
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    path("api/v1/boom/", api_crash),
    path("api/v1/forbidden/", forbidden),
    *project_urlpatterns,
]
