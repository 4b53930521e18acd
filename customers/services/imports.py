"""Excel imports (CUS-12): upload → check → preview → confirm (or cancel).

Checking reads the whole workbook and records every bad row with its row number, column and
reason in `ImportBatch.errors`; nothing is written to the business tables until the uploader
confirms, and then only the good rows are written — all of them in one transaction, or none.

Where the work runs is decided at upload by what is read, never by what the file declares: a
workbook that unpacks to more than IMPORT_BACKGROUND_UNPACKED_MB, or in which the request reads
IMPORT_BACKGROUND_THRESHOLD rows (blank ones too) without reaching the end, is checked and
imported by background jobs, with progress on the page and a notification when done. Whatever
goes wrong in a check or an import — a bad file, a defect, a job that ran out of time or a
worker that died — ends with the batch failed and a message the uploader sees.
"""

import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.files import display_name
from crm_project.core.jobs import enqueue_on_commit
from crm_project.notifications.services import notify

from ..importers import CheckResult, ImportCancelled, error, importer_for
from ..importers.workbook import (
    MB,
    background_threshold,
    background_unpacked_mb,
    max_upload_mb,
    read_rows,
    unpacked_size,
)
from ..models import ImportBatch, ImportStatus

log = logging.getLogger(__name__)
ACTIVE = (ImportStatus.CHECKING, ImportStatus.IMPORTING)
# A step still under way after this long has lost its worker: longer than the jobs' time
# limit plus the broker's redelivery of a job whose worker died (visibility timeout, 1 h).
STALE_AFTER = timedelta(hours=3)


def runs_in_background(batch: ImportBatch) -> bool:
    return batch.in_background or batch.total_rows >= background_threshold()


def progress_key(batch: ImportBatch) -> str:
    return f"import-progress:{batch.pk}:{batch.uploaded_at:%Y%m%d%H%M%S%f}"


def import_progress(batch: ImportBatch) -> int:
    """Rows processed so far. While importing, the writes (and so the row's counter) are
    invisible until the one transaction commits, so the job also reports to the cache."""
    if batch.status == ImportStatus.IMPORTING:
        try:
            return max(batch.processed_rows, int(cache.get(progress_key(batch)) or 0))
        except Exception:  # the cache is only for the progress bar; never fail the page for it
            return batch.processed_rows
    return batch.processed_rows


def _language(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


def _url(batch: ImportBatch) -> str:
    return f"/customers/imports/{batch.pk}/"


def _retry_later(problem: Exception, *, background: bool) -> bool:
    """A lost database connection in a job is worth retrying (the job policy retries with
    back-off, and gives up by failing the batch); anything else would fail again."""
    return background and isinstance(problem, (OperationalError, InterfaceError))


def import_upload(*, actor: User, kind: str, uploaded_file) -> ImportBatch:
    """Store the upload and check it: now for a small file, by a background job otherwise. A
    file that cannot be checked is a failed batch with the reason, never a crash."""
    importer = importer_for(kind)
    if not importer.may_import(actor):
        raise PermissionDenied(_("You may not import this kind of file."))
    name = (uploaded_file.name or "").rsplit("/", 1)[-1]
    if not name.lower().endswith(".xlsx"):
        raise DomainError(
            _("Upload an Excel workbook (.xlsx). Save older .xls or .csv files as .xlsx first."), field="file"
        )
    if uploaded_file.size > max_upload_mb() * MB:
        raise DomainError(
            _("The file is larger than %(mb)s MB. Split it into smaller files.") % {"mb": max_upload_mb()}, field="file"
        )
    if not uploaded_file.size:
        raise DomainError(_("The file is empty."), field="file")
    batch = ImportBatch.objects.create(
        kind=kind, file=uploaded_file, original_name=display_name(name), uploaded_by=actor
    )
    try:
        with batch.file.open("rb") as handle:
            sheet = None
            if unpacked_size(handle) <= background_unpacked_mb() * MB:
                sheet = read_rows(handle, importer.columns, stop_after=background_threshold())
        if sheet is None or not sheet.complete:
            batch.in_background = True
            batch.save(update_fields=["in_background"])
            from ..tasks_imports import import_check_job

            enqueue_on_commit(import_check_job, batch.pk, on_failure=lambda: _no_background(batch.pk))
            return batch
        result = importer.check(actor=actor, rows=sheet.rows)
    except Exception as problem:
        return _check_failed(batch, problem, background=False)
    return _checked(batch, result, background=False)


def _fail(batch: ImportBatch, message: str, *, keep_errors: bool = False) -> bool:
    """Mark the batch failed — unless it has meanwhile left the step (cancelled, or done by
    another run): a conditional update, so two runners never both decide."""
    changes = {"status": ImportStatus.FAILED, "failure": message, "finished_at": timezone.now()}
    if not keep_errors:
        changes |= {"errors": [error(None, None, message)], "good_rows": 0}
    failed = ImportBatch.objects.filter(pk=batch.pk, status__in=ACTIVE).update(**changes)
    batch.refresh_from_db()
    return bool(failed)


def _failure_message(problem: Exception) -> str:
    if isinstance(problem, DomainError):
        return problem.message
    if isinstance(problem, SoftTimeLimitExceeded):
        return _("The file took too long to process; nothing was imported. Split it into smaller files.")
    if isinstance(problem, OSError):
        return _("The uploaded file is no longer available; upload it again.")
    if isinstance(problem, IntegrityError):
        return _(
            "The data changed while importing (another import or edit at the same time). Nothing was imported; "
            "upload the file again."
        )
    return _(
        "The file could not be processed because of an error on our side, which has been logged. Nothing was "
        "imported. Try again later, or tell the administrator if it happens again."
    )


def _log_unexpected(batch: ImportBatch, problem: Exception) -> None:
    if not isinstance(problem, (DomainError, OSError, IntegrityError, SoftTimeLimitExceeded)):
        log.error("import %s failed", batch.pk, exc_info=problem)


def _no_background(batch_id: int) -> None:
    """The job could not be queued (the broker is down): say so rather than wait for ever."""
    message = _("Background processing is unavailable right now. Nothing was imported; upload the file again later.")
    import_give_up(batch_id=batch_id, problem=DomainError(message))


def import_give_up(*, batch_id: int, problem: Exception) -> None:
    """A background job failed for good (all retries spent): say so on the batch rather than
    leave it "checking" or "importing" forever. Nothing was written: each step is atomic."""
    batch = ImportBatch.objects.select_related("uploaded_by").filter(pk=batch_id).first()
    if batch is None:
        return
    step = batch.status
    with translation.override(_language(batch.uploaded_by)):
        if _fail(batch, _failure_message(problem)):
            _notify_failed(batch, step)


def import_sweep(*, now=None) -> int:
    """Fail the imports whose step has run longer than any job may: their worker died (out of
    memory, a deploy) and no job will finish them. Returns how many (JOB-09: a second run
    finds none)."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    stale = ImportBatch.objects.filter(
        Q(status=ImportStatus.CHECKING, uploaded_at__lt=cutoff)
        | Q(status=ImportStatus.IMPORTING, confirmed_at__lt=cutoff)
        | Q(status=ImportStatus.IMPORTING, confirmed_at__isnull=True, uploaded_at__lt=cutoff)
    ).select_related("uploaded_by")
    swept = 0
    for batch in stale:
        step = batch.status
        with translation.override(_language(batch.uploaded_by)):
            message = _("The import was interrupted and did not finish; nothing was imported. Upload the file again.")
            with transaction.atomic():
                if _fail(batch, message):
                    swept += 1
                    _notify_failed(batch, step)
    return swept


def _notify_failed(batch: ImportBatch, step: str) -> None:
    if step == ImportStatus.CHECKING:
        _notify_checked(batch)
    else:
        _notify_done(batch)


def _notify(batch: ImportBatch, *, key: str, title, body, params: dict) -> None:
    transaction.on_commit(
        lambda: notify(
            recipient=batch.uploaded_by, key=key, kind="import", title=title, body=body, params=params, url=_url(batch)
        )
    )


def import_check(*, batch_id: int, background: bool = False) -> ImportBatch:
    """Read and check the file (CUS-12); nothing is written but the batch. Idempotent: a
    batch no longer being checked (done, or cancelled meanwhile) is left as it is."""
    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=batch_id)
    if batch.status != ImportStatus.CHECKING:
        return batch
    importer = importer_for(batch.kind)

    def progress(count: int) -> None:
        if not ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.CHECKING).update(processed_rows=count):
            raise ImportCancelled

    with translation.override(_language(batch.uploaded_by)):
        try:
            with batch.file.open("rb") as handle:
                sheet = read_rows(handle, importer.columns, progress=progress)
            result = importer.check(actor=batch.uploaded_by, rows=sheet.rows)
        except ImportCancelled:
            return ImportBatch.objects.get(pk=batch.pk)
        except Exception as problem:
            if _retry_later(problem, background=background):
                raise
            return _check_failed(batch, problem, background=background)
        return _checked(batch, result, background=background)


def _check_failed(batch: ImportBatch, problem: Exception, *, background: bool) -> ImportBatch:
    _log_unexpected(batch, problem)
    if _fail(batch, _failure_message(problem)) and background:
        _notify_checked(batch)
    return batch


def _checked(batch: ImportBatch, result: CheckResult, *, background: bool) -> ImportBatch:
    updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.CHECKING).update(
        status=ImportStatus.CHECKED,
        total_rows=result.total_rows,
        processed_rows=result.total_rows,
        good_rows=result.good_rows,
        errors=result.errors,
    )
    batch.refresh_from_db()
    if updated and background:
        _notify_checked(batch)
    return batch


def _notify_checked(batch: ImportBatch) -> None:
    if batch.status == ImportStatus.FAILED:
        title, body = gettext_lazy("%(file)s cannot be imported"), gettext_lazy("%(failure)s")
    else:
        title = gettext_lazy("%(file)s is checked")
        body = gettext_lazy("%(good)s good rows of %(total)s. Open the import to confirm or cancel it.")
    _notify(
        batch,
        key=f"import-checked:{batch.pk}",
        title=title,
        body=body,
        params={
            "file": batch.original_name, "good": batch.good_rows, "total": batch.total_rows,
            "failure": batch.failure,
        },
    )  # fmt: skip


def import_confirm(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """The uploader accepts the good rows: they are written now, or by a background job for
    a large file. Only once — a second confirmation finds the import under way or done."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.uploaded_by_id != actor.pk:
            raise PermissionDenied(_("Only the person who uploaded the file may import it."))
        if batch.status != ImportStatus.CHECKED:
            raise DomainError(
                _("This import is %(status)s; it cannot be confirmed.") % {"status": batch.get_status_display()}
            )
        if not batch.good_rows:
            raise DomainError(_("There are no good rows to import."))
        batch.status, batch.processed_rows, batch.confirmed_at = ImportStatus.IMPORTING, 0, timezone.now()
        batch.save(update_fields=["status", "processed_rows", "confirmed_at"])
        if runs_in_background(batch):
            from ..tasks_imports import import_apply_job

            enqueue_on_commit(import_apply_job, batch.pk, on_failure=lambda: _no_background(batch.pk))
            return batch
    return import_apply(batch_id=batch.pk)


def import_apply(*, batch_id: int, background: bool = False) -> ImportBatch:
    """Write the good rows, re-checked against the data as it is now, in one transaction
    (CUS-12: all the accepted rows or none). A row that went bad since the preview is
    skipped and listed. A second run of the job finds the batch done and does nothing."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("uploaded_by").get(pk=batch_id)
        if batch.status != ImportStatus.IMPORTING:
            return batch
        actor = batch.uploaded_by
        importer = importer_for(batch.kind)
        done = 0

        def progress(count: int) -> None:
            nonlocal done
            done += count
            try:
                cache.set(progress_key(batch), done, timeout=3600)
            except Exception:  # the progress bar stands still; the import goes on
                log.warning("import %s: progress not reported", batch.pk, exc_info=True)

        with translation.override(_language(actor)):
            try:
                with transaction.atomic():
                    if not importer.may_import(actor):
                        raise PermissionDenied(_("You may no longer import this kind of file."))
                    with batch.file.open("rb") as handle:
                        sheet = read_rows(handle, importer.columns)
                    result = importer.check(actor=actor, rows=sheet.rows)
                    created, updated = importer.apply(actor=actor, result=result, progress=progress)
            except Exception as problem:
                if _retry_later(problem, background=background):
                    raise
                _log_unexpected(batch, problem)
                _fail(batch, _failure_message(problem), keep_errors=True)
                if background:
                    _notify_done(batch)
                return batch
        batch.status = ImportStatus.DONE
        batch.errors = result.errors
        batch.good_rows = result.good_rows
        batch.processed_rows = batch.total_rows = result.total_rows
        batch.created_count, batch.updated_count = created, updated
        batch.finished_at = timezone.now()
        batch.save(
            update_fields=[
                "status", "errors", "good_rows", "processed_rows", "total_rows", "created_count", "updated_count",
                "finished_at",
            ]
        )  # fmt: skip
        if background:
            _notify_done(batch)
    return batch


def _notify_done(batch: ImportBatch) -> None:
    if batch.status == ImportStatus.DONE:
        title = gettext_lazy("%(file)s is imported")
        body = gettext_lazy("%(created)s created, %(updated)s updated.")
    else:
        title = gettext_lazy("%(file)s could not be imported")
        body = gettext_lazy("%(failure)s")
    _notify(
        batch,
        key=f"import-done:{batch.pk}",
        title=title,
        body=body,
        params={
            "file": batch.original_name,
            "created": batch.created_count,
            "updated": batch.updated_count,
            "failure": batch.failure,
        },
    )


def import_cancel(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Drop an import that is being checked or waits for confirmation; nothing was written.
    The uploaded file, with its personal data, is deleted."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.uploaded_by_id != actor.pk:
            raise PermissionDenied(_("Only the person who uploaded the file may cancel it."))
        if batch.status not in (ImportStatus.CHECKING, ImportStatus.CHECKED):
            raise DomainError(
                _("This import is %(status)s; it cannot be cancelled.") % {"status": batch.get_status_display()}
            )
        batch.status, batch.finished_at = ImportStatus.CANCELLED, timezone.now()
        batch.save(update_fields=["status", "finished_at"])
        storage, name = batch.file.storage, batch.file.name
        transaction.on_commit(lambda: storage.delete(name))
    return batch
