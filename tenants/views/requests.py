"""The request pages (TEN-02): to be filled by the pages work."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path

from ..selectors import request_visible_to


@login_required
def request_detail(request, pk: int):
    tenant_request = get_object_or_404(request_visible_to(request.user), pk=pk)
    return render(request, "tenants/request_detail.html", {"tenant_request": tenant_request})


urlpatterns = [path("requests/<int:pk>/", request_detail, name="request_detail")]
