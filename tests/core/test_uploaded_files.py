"""Uploaded files are reached only through downloads that check who is asking (ORG-02, CUS-07,
EXP-13): an imported workbook by its uploader, a signed sheet's scan by those who see the
sheet; everyone else gets 404. Stored names are random; /media/ serves nothing, with DEBUG on
or off."""

import importlib
import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import clear_url_caches

import crm_project.urls
from customers.models import ImportBatch
from expenses.models import SignoffSheet
from expenses.services.signoff import signoff_paper_upload, signoff_payout, signoff_sheets_create
from tests.customers.workbooks import upload_file, workbook_bytes
from tests.expenses.factories import ProductFactory, fee_customer, fee_standard, purchase, valid_statement

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%signed sheet\n"
RANDOM_NAME = r"[0-9a-f]{32}"


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, time_machine):
    settings.MEDIA_ROOT = str(tmp_path)
    time_machine.move_to("2026-10-09 10:00 +0800")


def _assert_attachment(response, *, body: bytes, name: str) -> None:
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == body
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def _imported(client) -> tuple[ImportBatch, bytes]:
    data = workbook_bytes(["code", "name"], [["K1", "客户甲"]])
    client.post("/customers/imports/new/", {"kind": "customers", "file": upload_file(data, "客户名单.xlsx")})
    return ImportBatch.objects.latest("pk"), data


def test_an_imported_workbook_is_downloaded_only_by_its_uploader(
    client_for, rep, other_rep, manager, outsider, django_capture_on_commit_callbacks
):
    """CUS-07, ORG-02: another rep, the rep's own manager and another department get 404."""
    owner = client_for(rep)
    batch, data = _imported(owner)
    assert re.fullmatch(rf"imports/2026/10/{RANDOM_NAME}\.xlsx", batch.file.name)
    assert batch.original_name == "客户名单.xlsx"
    url = f"/customers/imports/{batch.pk}/file/"
    _assert_attachment(owner.get(url), body=data, name="客户名单.xlsx")
    page = owner.get(f"/customers/imports/{batch.pk}/").content.decode()
    assert f'href="{url}"' in page and batch.file.name not in page
    for user in (other_rep, manager, outsider):
        assert client_for(user).get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.post(f"/customers/imports/{batch.pk}/cancel/").status_code == 302
    assert owner.get(url).status_code == 404  # the file went with the cancelled import


def test_a_signed_sheets_scan_is_downloaded_only_by_those_who_see_the_sheet(
    client_for, rep, other_rep, clerk, manager, finance, gm, outsider
):
    """EXP-11, EXP-13: the rep, the department's signers and finance get the scan under its
    original name; another rep, management and another department get 404."""
    product = ProductFactory(code="P-MOD-IMP")
    fee_standard(product)
    customer = fee_customer(rep, name="甲公司")
    purchase(customer, product)
    statement = valid_statement(rep, clerk=clerk, manager=manager, finance=finance, customers=[customer],
                                product=product)  # fmt: skip
    signoff_sheets_create(actor=rep, statement=statement)
    sheet = SignoffSheet.objects.filter(statement=statement).first()
    signoff_payout(actor=rep, sheet=sheet)
    signoff_paper_upload(actor=rep, sheet=sheet, file=SimpleUploadedFile("签收表 王芳.pdf", PDF))
    sheet.refresh_from_db()
    assert re.fullmatch(rf"signoff/2026/10/{RANDOM_NAME}\.pdf", sheet.paper_scan.name)
    assert sheet.paper_scan_name == "签收表 王芳.pdf"
    url = f"/fees/sheets/{sheet.pk}/paper/"
    for user in (rep, clerk, manager, finance):
        _assert_attachment(client_for(user).get(url), body=PDF, name="签收表 王芳.pdf")
    for user in (other_rep, gm, outsider):
        assert client_for(user).get(url).status_code == 404
    page = client_for(rep).get(f"/fees/payouts/{statement.pk}/").content.decode()
    assert f'href="{url}"' in page and sheet.paper_scan.name not in page


def test_a_sheet_without_a_scan_has_nothing_to_download(client_for, rep, clerk, manager, finance):
    product = ProductFactory(code="P-MOD-IMP")
    fee_standard(product)
    customer = fee_customer(rep, name="甲公司")
    purchase(customer, product)
    statement = valid_statement(rep, clerk=clerk, manager=manager, finance=finance, customers=[customer],
                                product=product)  # fmt: skip
    sheet = signoff_sheets_create(actor=rep, statement=statement)[0]
    assert client_for(rep).get(f"/fees/sheets/{sheet.pk}/paper/").status_code == 404


@pytest.mark.parametrize("debug", [True, False])
def test_media_is_never_served_by_path(client_for, rep, outsider, debug):
    """ORG-02: not even with DEBUG on (the URLs are loaded again under it), to anyone."""
    batch, _data = _imported(client_for(rep))
    try:
        with override_settings(DEBUG=debug):
            importlib.reload(crm_project.urls)
            clear_url_caches()
            for user in (rep, outsider):
                assert client_for(user).get(f"/media/{batch.file.name}").status_code == 404
    finally:
        importlib.reload(crm_project.urls)
        clear_url_caches()
