"""Exports too large for a request (CUS-07, DSH-03, JOB-09).

A list's "Export to Excel" above `EXPORT_BACKGROUND_ROWS` rows does not make the user wait on
a request that a proxy or gunicorn's timeout would cut: it records an `ExportJob` with the
list's address and filter and hands it to a worker. The worker resolves that address to the
same list view, gives it a request of the same user, and exports the view's own queryset — so
the file holds exactly the rows the page shows that user, and no second implementation of the
scope or the filters exists. It writes in constant memory (openpyxl's write-only mode, rows
read in chunks), reports its progress, logs the export like any other, and notifies the user
with the page from which only they can download the file.
"""

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .exports import Export, write_xlsx
from .models import ExportJob, ExportLog, ExportStatus
from .paging import count_up_to

log = logging.getLogger(__name__)

_BROKER_DOWN = "the job queue could not be reached"


def needs_background(queryset: QuerySet) -> bool:
    """More rows than a request should write (one bounded count)."""
    return count_up_to(queryset, settings.EXPORT_BACKGROUND_ROWS) > settings.EXPORT_BACKGROUND_ROWS


def export_start(*, user, export: Export, path: str, query: str) -> ExportJob:
    """Record the export and queue it once the request commits."""
    from .jobs import enqueue_on_commit
    from .tasks import export_run_job

    job = ExportJob.objects.create(user=user, name=export.name, path=path, query=query, filename=export.filename())
    enqueue_on_commit(export_run_job, job.pk, on_failure=lambda: export_fail(job_id=job.pk, problem=_BROKER_DOWN))
    return job


def _list_view_for(job: ExportJob):
    """The list view of the job's address, set up with a request of the job's user."""
    match = resolve(job.path)
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or getattr(view_class, "export_class", None) is None:
        raise ValueError(f"{job.path} is not a list with an export")
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = job.path
    request.GET = QueryDict(job.query)
    request.user = job.user
    view = view_class()
    view.setup(request, *match.args, **match.kwargs)
    return view


def export_run(*, job_id: int) -> ExportJob:
    """Write the file of a queued export (idempotent: a job another worker has taken, or one
    that is over, is left alone)."""
    if not ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING):
        return ExportJob.objects.get(pk=job_id)
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    try:
        _write(job)
    except Exception as error:  # any failure is the user's to know; a retry would fail alike
        export_fail(job_id=job.pk, problem=error)
        job.refresh_from_db()
        return job
    _notify_done(job)
    return job


def _write(job: ExportJob) -> None:
    with translation.override(job.user.language or settings.LANGUAGE_CODE):
        view = _list_view_for(job)
        queryset = view.get_queryset()
        export = view.export_class()
        total = queryset.order_by().count()
        ExportJob.objects.filter(pk=job.pk).update(total_rows=total)

        def progress(rows: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(processed_rows=rows)

        with tempfile.TemporaryFile(suffix=".xlsx") as spool:
            count = write_xlsx(export, queryset, spool, progress=progress)
            spool.seek(0)
            with transaction.atomic():
                job.file.save(job.filename or export.filename(), File(spool), save=False)
                job.status, job.finished_at = ExportStatus.DONE, timezone.now()
                job.total_rows = job.processed_rows = count
                job.save(update_fields=["file", "status", "finished_at", "total_rows", "processed_rows"])
                ExportLog.objects.create(user=job.user, name=job.name, query=job.query, row_count=count)


def export_fail(*, job_id: int | None, problem) -> None:
    """Mark an export that cannot be written as failed and tell its user (once)."""
    if job_id is None:
        return
    updated = ExportJob.objects.filter(pk=job_id, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).update(
        status=ExportStatus.FAILED, finished_at=timezone.now(), failure=str(problem)[:2000]
    )
    if updated:
        log.warning("background export %s failed: %s", job_id, problem)
        _notify_failed(ExportJob.objects.select_related("user").get(pk=job_id))


def _notify_done(job: ExportJob) -> None:
    _tell(job, "done", _("Your export is ready: %(rows)s rows"), _("Download it from the export's page; only you can."))


def _notify_failed(job: ExportJob) -> None:
    _tell(
        job,
        "failed",
        _("Your export could not be written"),
        _("Try again, or narrow the filter. The administrators can see why in the export's record."),
    )


def _tell(job: ExportJob, outcome: str, title, body) -> None:
    """The inbox message with the export's page (no e-mail: the user is at work in the CRM)."""
    from crm_project.notifications.services import notify

    notify(
        recipient=job.user,
        key=f"export-{outcome}-{job.pk}",
        kind="export",
        title=title,
        body=body,
        params={"rows": job.processed_rows},
        url=reverse("core:export_detail", args=[job.pk]),
        email=False,
    )


def export_sweep() -> int:
    """Delete the files of exports finished more than EXPORT_KEEP_DAYS ago; the records stay,
    as the export log does. Returns the number of files deleted."""
    before = timezone.now() - timedelta(days=settings.EXPORT_KEEP_DAYS)
    deleted = 0
    for job in ExportJob.objects.filter(finished_at__lt=before).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        deleted += 1
    return deleted
