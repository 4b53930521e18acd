"""What an uploaded document really is, read from its first bytes, never from its name
(SUP-07): PDF, images and Office files are accepted; an executable renamed to "report.pdf",
an Office file with macros or anything unrecognised is refused with a message saying why.

    kind = check_document(uploaded, max_mb=20)   # raises DomainError(field="file")
    kind.content_type, kind.extension
"""

import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .errors import DomainError


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str


PDF = FileKind("application/pdf", "pdf", "PDF")
JPEG = FileKind("image/jpeg", "jpg", "JPEG")
PNG = FileKind("image/png", "png", "PNG")
GIF = FileKind("image/gif", "gif", "GIF")
WEBP = FileKind("image/webp", "webp", "WebP")
TIFF = FileKind("image/tiff", "tif", "TIFF")
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word")
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel")
PPTX = FileKind("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "PowerPoint")
LEGACY_OFFICE = FileKind("application/x-ole-storage", "doc", "Office 97–2003")

_SIGNATURES: list[tuple[bytes, FileKind]] = [
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", LEGACY_OFFICE),
]
# Programs and scripts: Windows (MZ), Linux (ELF), macOS (Mach-O, fat binaries), shell scripts.
_EXECUTABLES = (
    b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe", b"#!",
)  # fmt: skip
_OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))

ALLOWED_LABELS = "PDF, JPEG, PNG, GIF, WebP, TIFF, Word, Excel, PowerPoint"


def _office_kind(uploaded) -> FileKind | None:
    """A Word, Excel or PowerPoint file (a zip with its content types and main part), or
    None for any other zip. Only the zip's directory is read, never its contents."""
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        uploaded.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise DomainError(_("Office files with macros are not accepted; save it without macros."), field="file")
    for prefix, kind in _OOXML_PARTS:
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


def detect_kind(uploaded) -> FileKind | None:
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if any(head.startswith(signature) for signature in _EXECUTABLES):
        raise DomainError(_("This file is a program, not a document, and is refused."), field="file")
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(uploaded)
    return None


def _check_size(uploaded, *, max_mb: int, empty: str) -> None:
    if uploaded is None or not getattr(uploaded, "size", 0):
        raise DomainError(empty, field="file")
    if uploaded.size > max_mb * 1024 * 1024:
        raise DomainError(_("The file is too large (at most %(mb)d MB).") % {"mb": max_mb}, field="file")


def check_document(uploaded, *, max_mb: int) -> FileKind:
    """The kind of an uploaded document, or a DomainError on the `file` field."""
    _check_size(uploaded, max_mb=max_mb, empty=_("Choose a file to upload; this one is empty."))
    kind = detect_kind(uploaded)
    if kind is None:
        raise DomainError(
            _("This kind of file is not accepted. Upload a %(allowed)s file.") % {"allowed": ALLOWED_LABELS},
            field="file",
        )
    return kind


IMAGE_KINDS = (JPEG, PNG, GIF, WEBP)


def check_image(uploaded, *, max_mb: int) -> FileKind:
    """A photo (JPEG, PNG, GIF, WebP), read from the content, or a DomainError on `file`."""
    kind = check_document(uploaded, max_mb=max_mb)
    if kind not in IMAGE_KINDS:
        raise DomainError(_("This is not a photo. Upload a JPEG, PNG, GIF or WebP image."), field="file")
    return kind


# --- audio (TEN-04: call recordings) ----------------------------------------------------------

MP3 = FileKind("audio/mpeg", "mp3", "MP3")
WAV = FileKind("audio/wav", "wav", "WAV")
M4A = FileKind("audio/mp4", "m4a", "M4A/AAC")
OGG = FileKind("audio/ogg", "ogg", "Ogg")
FLAC = FileKind("audio/flac", "flac", "FLAC")
AMR = FileKind("audio/amr", "amr", "AMR")
AAC = FileKind("audio/aac", "aac", "AAC")
AUDIO_LABELS = "MP3, WAV, M4A/AAC, Ogg, FLAC, AMR"
_MP4_AUDIO_BRANDS = (b"M4A ", b"M4B ", b"mp41", b"mp42", b"isom", b"3gp4", b"3gp5", b"3gp6", b"dash")


def detect_audio(uploaded) -> FileKind | None:
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    # AMR begins with "#!AMR", which is not a script: check it before the programs are refused.
    if head.startswith(b"#!AMR"):
        return AMR
    if any(head.startswith(signature) for signature in _EXECUTABLES):
        raise DomainError(_("This file is a program, not a recording, and is refused."), field="file")
    if head.startswith(b"ID3"):
        return MP3
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return AAC  # ADTS: 1111 1111 1111 x00x
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return MP3  # an MPEG audio frame without a tag
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head[4:8] == b"ftyp" and head[8:12] in _MP4_AUDIO_BRANDS:
        return M4A
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"fLaC"):
        return FLAC
    return None


def check_audio(uploaded, *, max_mb: int) -> FileKind:
    """The kind of an uploaded recording, read from its content, or a DomainError on `file`."""
    _check_size(uploaded, max_mb=max_mb, empty=_("Choose a recording to upload; this file is empty."))
    kind = detect_audio(uploaded)
    if kind is None:
        raise DomainError(
            _("This is not a recording we can play. Upload a %(allowed)s file.") % {"allowed": AUDIO_LABELS},
            field="file",
        )
    return kind


# --- scans (TEN-06: a signed paper receipt) ---------------------------------------------------


def check_pdf(uploaded, *, max_mb: int) -> FileKind:
    """A PDF, read from its content, or a DomainError on `file`."""
    kind = check_document(uploaded, max_mb=max_mb)
    if kind != PDF:
        raise DomainError(_("This is not a PDF file."), field="file")
    return kind


SCAN_KINDS = (PDF, *IMAGE_KINDS)


def check_scan(uploaded, *, max_mb: int) -> FileKind:
    """A scan of a signed paper: a PDF or a photo (JPEG, PNG, GIF, WebP), read from the content."""
    kind = check_document(uploaded, max_mb=max_mb)
    if kind not in SCAN_KINDS:
        raise DomainError(_("Upload the scan as a PDF or a JPEG, PNG, GIF or WebP image."), field="file")
    return kind
