"""Until the desk and the request log pages are merged beside these pages, the navigation bar
needs their names: this URL conf is the project's with placeholders for the names missing."""

import pytest
from django.http import HttpResponse
from django.urls import URLResolver, include, path

import crm_project.urls
import tenants.urls


def _placeholder(request, *args, **kwargs):
    return HttpResponse("")


_known = {getattr(pattern, "name", None) for pattern in tenants.urls.urlpatterns}
_tenant_patterns = [
    *tenants.urls.urlpatterns,
    *(path(f"placeholder-{name}/", _placeholder, name=name) for name in ("desk", "request_list") if name not in _known),
]

urlpatterns = [
    path("tenants/", include((_tenant_patterns, "tenants")))
    if isinstance(pattern, URLResolver) and pattern.app_name == "tenants"
    else pattern
    for pattern in crm_project.urls.urlpatterns
]


@pytest.fixture(autouse=True)
def _desk_page_names(settings):
    settings.ROOT_URLCONF = "tests.tenants.pages_urls"
