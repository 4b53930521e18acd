"""A background export's page: its progress while a worker writes it, then the download —
for the user who asked for it, and nobody else (404)."""

from django.shortcuts import get_object_or_404, render

from crm_project.accounts.access import visible_to

from .files import visible_file_response
from .models import ExportJob, ExportStatus


def _job_for(request, pk: int) -> ExportJob:
    return get_object_or_404(visible_to(request.user, ExportJob), pk=pk)


def export_detail(request, pk: int):
    return render(request, "core/export_detail.html", {"job": _job_for(request, pk)})


def export_progress(request, pk: int):
    """The progress bar, polled by htmx while the export runs."""
    return render(request, "core/_export_progress.html", {"job": _job_for(request, pk)})


def export_download(request, pk: int):
    return visible_file_response(
        request.user, ExportJob.objects.filter(status=ExportStatus.DONE), pk=pk, field="file", name_field="filename"
    )
