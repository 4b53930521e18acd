"""Uploaded files (imports, signed sheets): stored under names no one can guess, and handed out
only by views that check who is asking (ORG-02, CUS-07, EXP-13).

MEDIA_ROOT is never served by path, in any mode: a file is reached through its record, which
must be visible to the user (`visible_to`), or the answer is 404 — before nginx is asked to
send the bytes (FILE_DELIVERY="nginx") or Django streams them. The stored name is
`<folder>/<year>/<month>/<random uuid>.<extension>`; the name the user gave the file is kept
on the record, for display and for the download.
"""

import mimetypes
import re
import uuid
from pathlib import Path, PurePath
from urllib.parse import quote

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header

from crm_project.accounts.access import visible_to

_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")
# nginx's `internal` location aliasing MEDIA_ROOT (deploy/nginx/), for FILE_DELIVERY="nginx".
PROTECTED_MEDIA_PREFIX = "/protected-media/"


@deconstructible
class UnguessableName:
    """An `upload_to` that keeps only the uploaded file's extension."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = PurePath(filename or "").suffix.lower()
        if not _EXTENSION.fullmatch(extension):
            extension = ""
        return f"{self.folder}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, UnguessableName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def display_name(name: str, *, fallback: str = "file") -> str:
    """The user's file name without any folder or control characters, for showing and for
    the download's Content-Disposition (where a line break would break the header)."""
    name = PurePath(str(name or "").replace("\\", "/")).name
    name = "".join(character for character in name if character.isprintable()).strip()
    return name[:200] or fallback


def visible_file_response(
    user, queryset: QuerySet, *, pk, field: str, name_field: str, inline_type: str = ""
) -> HttpResponse:
    """The file in `field` of the record `pk`, if the record is visible to the user (404 if
    not, or if it has no file): an attachment under its original name, never cached by the
    browser or a proxy and never sniffed into something executable. With `inline_type` (a
    content type read from the file when it was uploaded: audio, images) the browser shows or
    plays it in the page instead."""
    record = get_object_or_404(visible_to(user, queryset), pk=pk)
    stored = getattr(record, field)
    original = getattr(record, name_field, "") or PurePath(stored.name or "").name
    return stored_file_response(stored, filename=original, content_type=inline_type, as_attachment=not inline_type)


def stored_file_response(
    stored: FieldFile, *, filename: str, content_type: str = "", as_attachment: bool = True
) -> HttpResponse:
    """A stored file as the answer, for a caller that has already checked who is asking.

    With FILE_DELIVERY="nginx" and a storage on a local disk, the answer is empty and carries
    `X-Accel-Redirect: /protected-media/<stored name>`: nginx sends the bytes from its `internal`
    location over MEDIA_ROOT, so a gunicorn thread is not held for a large download. A storage
    without local paths (S3 and the like) is streamed through Django in either mode — rather
    than redirecting to a presigned URL, which would work for anyone holding it until it
    expires, drop our headers and need the bucket reachable from every browser."""
    if not stored:
        raise Http404
    name = display_name(filename)
    content_type = content_type or _content_type(name)
    local = _under_media_root(stored) if settings.FILE_DELIVERY == "nginx" else None
    if local is not None:
        if not local.is_file():
            raise Http404
        response = HttpResponse(content_type=content_type)
        relative = local.relative_to(Path(settings.MEDIA_ROOT).resolve()).as_posix()
        response["X-Accel-Redirect"] = PROTECTED_MEDIA_PREFIX + quote(relative)
        response["Content-Disposition"] = content_disposition_header(as_attachment, name)
    else:
        try:
            handle = stored.open("rb")
        except (OSError, ValueError):  # the row outlived its file (a restore without media)
            raise Http404 from None
        response = FileResponse(handle, as_attachment=as_attachment, filename=name, content_type=content_type)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _under_media_root(stored: FieldFile) -> Path | None:
    """The file's path on this machine's disk if it lies under MEDIA_ROOT (what nginx's location
    aliases); None for a storage without local paths (object storage) or one kept elsewhere."""
    try:
        local = Path(stored.storage.path(stored.name)).resolve()
    except NotImplementedError:
        return None
    return local if local.is_relative_to(Path(settings.MEDIA_ROOT).resolve()) else None


def _content_type(filename: str) -> str:
    guessed, encoding = mimetypes.guess_type(filename)
    # A compressed file is sent as it is stored, never as an encoding a browser would undo.
    return "application/octet-stream" if encoding or not guessed else guessed
