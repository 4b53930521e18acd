"""TEN-04, TEN-02: recordings and photos are recognised by their content, not their name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crm_project.core.errors import DomainError
from crm_project.core.uploads import check_audio, check_image

AUDIO = {
    "mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 64,
    "mp3-frame": b"\xff\xfb\x90\x00" + b"\x00" * 64,
    "wav": b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64,
    "m4a": b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 64,
    "ogg": b"OggS\x00\x02" + b"\x00" * 64,
    "flac": b"fLaC\x00\x00\x00\x22" + b"\x00" * 64,
    "amr": b"#!AMR\n" + b"\x00" * 64,
}


@pytest.mark.parametrize("name", sorted(AUDIO))
def test_each_common_audio_format_is_accepted(name):
    """TEN-04: MP3, WAV, M4A, Ogg, FLAC and AMR (whose "#!" is not a script)."""
    assert check_audio(SimpleUploadedFile(f"call.{name}", AUDIO[name]), max_mb=1).content_type.startswith("audio/")


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00" + b"\x00" * 64, b"#!/bin/sh\nrm -rf /\n", b"%PDF-1.4\n" + b"\x00" * 64, b"", b"\x00" * 64],
)
def test_programs_documents_and_empty_files_are_not_recordings(content):
    """TEN-04: an exe renamed .mp3, a script, a PDF, an empty file, unknown bytes: refused."""
    with pytest.raises(DomainError):
        check_audio(SimpleUploadedFile("call.mp3", content), max_mb=1)


def test_a_recording_over_the_size_limit_is_refused():
    """TEN-04: the size limit is a setting (TENANT_RECORDING_MAX_MB)."""
    with pytest.raises(DomainError, match="too large"):
        check_audio(SimpleUploadedFile("call.mp3", AUDIO["mp3"] + b"\x00" * (1024 * 1024)), max_mb=1)


def test_a_photo_must_be_an_image():
    """TEN-02: a request's photo is a JPEG, PNG, GIF or WebP image; a PDF is refused."""
    assert check_image(SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), max_mb=1).extension == "png"
    with pytest.raises(DomainError, match="not a photo"):
        check_image(SimpleUploadedFile("p.png", b"%PDF-1.4\n" + b"\x00" * 64), max_mb=1)
