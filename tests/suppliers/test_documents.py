"""Documents with versions, checked by content (SUP-03, SUP-06, SUP-07)."""

import io
import zipfile

import pytest

from crm_project.core.errors import DomainError, PermissionDenied
from suppliers.models import Stage, SupplierDocument
from suppliers.services.documents import supplier_upload_document

from .factories import EXE_BYTES, PNG_BYTES, pdf, upload

pytestmark = pytest.mark.django_db


def _office(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_second_upload_of_a_kind_is_a_new_version_and_both_stay(at, buyer, head):
    """SUP-07: every version kept with who and when."""
    supplier = at(Stage.GENERAL_SURVEY)
    first = supplier_upload_document(actor=buyer, supplier=supplier, kind="catalogue", file=pdf("目录2025.pdf"))
    second = supplier_upload_document(actor=buyer, supplier=supplier, kind="catalogue", file=pdf("目录2026.pdf"))
    versions = list(SupplierDocument.objects.filter(supplier=supplier, kind="catalogue").order_by("version"))
    assert [(d.version, d.original_name) for d in versions] == [(1, "目录2025.pdf"), (2, "目录2026.pdf")]
    assert first.file.name != second.file.name and all(d.uploaded_by == buyer and d.uploaded_at for d in versions)
    assert first.file.open("rb").read().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", EXE_BYTES, "program"),
        ("setup.docx", b"\x7fELF\x02\x01\x01" + b"\x00" * 40, "program"),
        ("notes.pdf", b"just some text pretending", "not accepted"),
        (
            "macro.xlsx",
            _office({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"\x00"}),
            "macros",
        ),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_uploads_are_checked_by_content_not_by_name(at, buyer, name, content, message):
    """SUP-07: a renamed executable is refused as a document, with a clear message."""
    supplier = at(Stage.GENERAL_SURVEY)
    with pytest.raises(DomainError, match=message) as refused:
        supplier_upload_document(actor=buyer, supplier=supplier, kind="profile", file=upload(name, content))
    assert refused.value.field == "file"
    assert not SupplierDocument.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("scan.png", PNG_BYTES, "image/png"),
        ("scan.pdf", PNG_BYTES, "image/png"),  # the name is wrong, the content decides
        (
            "history.docx",
            _office({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "application/x-ole-storage"),
    ],
)
def test_pdf_images_and_office_files_are_accepted(at, buyer, name, content, content_type):
    """SUP-07"""
    supplier = at(Stage.GENERAL_SURVEY)
    document = supplier_upload_document(actor=buyer, supplier=supplier, kind="profile", file=upload(name, content))
    assert document.content_type == content_type


def test_the_size_limit_is_a_setting(at, buyer, settings):
    """SUP-07"""
    settings.SUPPLIER_DOCUMENT_MAX_MB = 1
    supplier = at(Stage.GENERAL_SURVEY)
    big = pdf(content=b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    with pytest.raises(DomainError, match="at most 1 MB"):
        supplier_upload_document(actor=buyer, supplier=supplier, kind="profile", file=big)


def test_an_unknown_kind_and_a_stranger_are_refused(at, buyer, rep):
    """SUP-03 ORG-02"""
    supplier = at(Stage.GENERAL_SURVEY)
    with pytest.raises(DomainError, match="which document"):
        supplier_upload_document(actor=buyer, supplier=supplier, kind="passport", file=pdf())
    with pytest.raises(PermissionDenied):
        supplier_upload_document(actor=rep, supplier=supplier, kind="profile", file=pdf())
    assert not SupplierDocument.objects.exists()


def test_no_upload_to_an_archived_file(at, buyer):
    """SUP-07: the active supplier's file is read-only."""
    supplier = at(Stage.ACTIVE)
    count = SupplierDocument.objects.count()
    with pytest.raises(DomainError, match="archived"):
        supplier_upload_document(actor=buyer, supplier=supplier, kind="catalogue", file=pdf())
    assert SupplierDocument.objects.count() == count
