"""Call recordings (TEN-04): an audio file on a request, checked by its content and size,
kept TENANT_RECORDING_RETENTION_DAYS and then purged by the daily job (JOB-07), which deletes
the file and logs what it removed, when and why. A recording moved to the recording archive
录音存档记录表 (with a reason, audited) is never purged automatically."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.core.errors import DomainError
from crm_project.core.files import display_name
from crm_project.core.uploads import check_audio

from ..models import Recording, RecordingPurge, TenantRequest
from ..permissions import can_keep_archive
from ..selectors import recording_purge_due
from .common import locked, require, save

REASON_MAX = 1000


def recording_upload(*, actor, request: TenantRequest, file) -> Recording:
    require(can_keep_archive(actor), _("Only the operations desk attaches call recordings."))
    kind = check_audio(file, max_mb=settings.TENANT_RECORDING_MAX_MB)
    with transaction.atomic():
        request = locked(request)
        recording = Recording(
            request=request,
            original_name=display_name(file.name, fallback=f"recording.{kind.extension}"),
            content_type=kind.content_type,
            size=file.size,
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        file.seek(0)
        recording.file.save(f"recording.{kind.extension}", file, save=False)
        recording._history_user = actor
        recording.save()
    return recording


def recording_archive(*, actor, recording: Recording, reason: str) -> Recording:
    """Into the recording archive 录音存档记录表: kept until someone deletes it by hand."""
    require(can_keep_archive(actor), _("Only the operations desk moves recordings to the archive."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why this recording is kept (the special event it documents)."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(
            _("The reason is too long: at most %(limit)s characters.") % {"limit": REASON_MAX}, field="reason"
        )
    with transaction.atomic():
        recording = Recording.objects.select_for_update().get(pk=recording.pk)
        if recording.purged_at:
            raise DomainError(
                _("This recording was purged on %(day)s; there is nothing left to keep.")
                % {"day": timezone.localdate(recording.purged_at).isoformat()}
            )
        if recording.archived_at:
            raise DomainError(_("This recording is already in the recording archive."))
        recording.archived_at, recording.archived_by, recording.archive_reason = timezone.now(), actor, reason
        save(
            recording,
            actor,
            ["archived_at", "archived_by", "archive_reason"],
            _("Moved to the recording archive: %(reason)s") % {"reason": reason[:80]},
        )
    return recording


def recordings_purge(*, now: datetime | None = None) -> int:
    """JOB-07: delete the files past retention, one row lock each (a second run, or one
    running at the same time, skips what is done or taken), and log each. Returns the count."""
    now = now or timezone.now()
    days = settings.TENANT_RECORDING_RETENTION_DAYS
    purged = 0
    for pk in list(recording_purge_due(now).order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            recording = (
                recording_purge_due(now)
                .select_for_update(skip_locked=True)
                .select_related("request")
                .filter(pk=pk)
                .first()
            )
            if recording is None:
                continue
            if recording.file:
                recording.file.storage.delete(recording.file.name)
            RecordingPurge.objects.create(
                recording=recording,
                request_reference=recording.request.reference,
                file_name=recording.original_name,
                size=recording.size,
                uploaded_at=recording.uploaded_at,
                purged_at=now,
                reason=_("Retention of %(days)d days ended") % {"days": days},
            )
            recording.purged_at, recording.file = now, ""
            recording._change_reason = "purged after retention"
            recording.save(update_fields=["purged_at", "file"])
            purged += 1
    return purged
