"""Uploaded files (imports, signed sheets): stored under names no one can guess, and handed out
only by views that check who is asking (ORG-02, CUS-07, EXP-13).

MEDIA_ROOT is never served by path, in any mode: a file is reached through its record, which
must be visible to the user (`visible_to`), or the answer is 404. The stored name is
`<folder>/<year>/<month>/<random uuid>.<extension>`; the name the user gave the file is kept
on the record, for display and for the download.
"""

import re
import uuid
from pathlib import PurePath

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from crm_project.accounts.access import visible_to

_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")


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
) -> FileResponse:
    """The file in `field` of the record `pk`, if the record is visible to the user (404 if
    not, or if it has no file): an attachment under its original name, never cached by the
    browser or a proxy and never sniffed into something executable. With `inline_type` (a
    content type read from the file when it was uploaded: audio, images) the browser shows or
    plays it in the page instead."""
    record = get_object_or_404(visible_to(user, queryset), pk=pk)
    stored = getattr(record, field)
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    original = getattr(record, name_field, "") or PurePath(stored.name).name
    response = FileResponse(
        handle, as_attachment=not inline_type, filename=display_name(original), content_type=inline_type or None
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
