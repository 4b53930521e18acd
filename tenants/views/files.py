"""Recordings and request photos, handed out only through their request's access rule
(ORG-02): audio plays and photos show in the page (inline, with the type read at upload)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import path

from crm_project.accounts.access import visible_to
from crm_project.core.files import visible_file_response

from ..models import Recording, RequestPhoto


def _inline(request, queryset, pk):
    record = get_object_or_404(visible_to(request.user, queryset), pk=pk)
    return visible_file_response(
        request.user, queryset, pk=pk, field="file", name_field="original_name", inline_type=record.content_type
    )


@login_required
def recording_file(request, pk: int):
    """404 for outsiders and for a purged recording (its file is gone)."""
    return _inline(request, Recording.objects.filter(purged_at__isnull=True), pk)


@login_required
def photo_file(request, pk: int):
    return _inline(request, RequestPhoto.objects.all(), pk)


urlpatterns = [
    path("recordings/<int:pk>/file/", recording_file, name="recording_file"),
    path("photos/<int:pk>/file/", photo_file, name="photo_file"),
]
