"""Hostile and broken workbooks (CUS-12): the row limit counts the rows actually read, blank ones
too; a file's own declared size decides nothing; a workbook that unpacks to too much is refused
before it is opened; every failure of a check or an import leaves the batch failed with a
message for the user, never "checking" or "importing" for ever; numbers out of range are row
errors, never a 500."""

import datetime
import logging
from decimal import Decimal

import pytest

from crm_project.notifications.models import Notification
from customers.importers.customers import CustomerImporter
from customers.importers.purchases import PurchaseImporter
from customers.models import Customer, ImportBatch, ImportStatus, Purchase
from tests.customers.factories import CustomerFactory, ProductFactory
from tests.customers.workbooks import blank_rows, data_rows, rewritten, upload_file, workbook_bytes

pytestmark = pytest.mark.django_db

CUSTOMER_HEADER = ["code", "name"]
PURCHASE_HEADER = ["customer", "product", "month", "quantity", "amount", "returned_quantity", "returned_amount",
                   "collected_amount"]  # fmt: skip


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, time_machine):
    settings.MEDIA_ROOT = tmp_path
    time_machine.move_to("2026-10-15 10:00 +0800")


def upload(client, kind, data: bytes):
    return client.post("/customers/imports/new/", {"kind": kind, "file": upload_file(data)})


def latest() -> ImportBatch:
    return ImportBatch.objects.latest("pk")


def two_customers() -> bytes:
    return workbook_bytes(CUSTOMER_HEADER, [["K1", "客户甲"]])


# --- the rows actually read ----------------------------------------------------------------


def test_blank_rows_count_against_the_row_limit_and_reading_stops_at_it(client_for, rep, settings):
    """CUS-12: the file says it has two rows but holds thousands of blank ones; they count
    against the limit and nothing past the limit is read (the XML there is broken, and the
    answer is the limit, not "damaged")."""
    settings.IMPORT_MAX_ROWS = 50
    data = rewritten(two_customers(), dimension="A1:B2", extra_rows=blank_rows(3, 5000), broken_after_extra_rows=True)
    client = client_for(rep)
    response = upload(client, "customers", data)
    batch = latest()
    assert response.status_code == 302
    assert batch.status == ImportStatus.FAILED
    assert "more than 50 rows" in batch.failure and "blank rows count too" in batch.failure
    page = client.get(f"/customers/imports/{batch.pk}/").content.decode()
    assert "more than 50 rows" in page
    assert not Customer.objects.exists()


def test_rows_hidden_below_a_small_declared_size_send_the_file_to_the_background(
    client_for, rep, settings, django_capture_on_commit_callbacks
):
    """CUS-12: in the request at most IMPORT_BACKGROUND_THRESHOLD rows are read; a file that
    declares one data row but holds 30 is checked by the background job, which counts them."""
    settings.IMPORT_BACKGROUND_THRESHOLD = 20
    hidden = data_rows(3, [[f"K{n}", f"客户{n}"] for n in range(2, 31)])
    data = rewritten(two_customers(), dimension="A1:B2", extra_rows=hidden)
    client = client_for(rep)
    with django_capture_on_commit_callbacks() as queued:
        upload(client, "customers", data)
    batch = latest()
    assert batch.status == ImportStatus.CHECKING and batch.in_background
    assert len(queued) == 1
    page = client.get(f"/customers/imports/{batch.pk}/progress/").content.decode()
    assert "0 rows read" in page
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()
    batch.refresh_from_db()
    assert (batch.status, batch.total_rows, batch.good_rows) == (ImportStatus.CHECKED, 30, 30)
    assert not Customer.objects.exists()


def test_the_request_reads_no_further_than_the_threshold_and_the_jobs_failure_is_shown(
    client_for, rep, settings, django_capture_on_commit_callbacks
):
    """CUS-12, JOB-09: the XML breaks after row 2025; the request stops at row 20 and hands
    the file to the job, which finds the damage and marks the batch failed, with a
    notification. (The XML parser reads 16 kB at a time, hence the blank rows between.)"""
    settings.IMPORT_BACKGROUND_THRESHOLD = 20
    rows = data_rows(3, [[f"K{n}", f"客户{n}"] for n in range(2, 25)]) + blank_rows(26, 2000)
    data = rewritten(two_customers(), extra_rows=rows, broken_after_extra_rows=True)
    client = client_for(rep)
    with django_capture_on_commit_callbacks() as queued:
        upload(client, "customers", data)
    batch = latest()
    assert batch.status == ImportStatus.CHECKING
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "may be damaged" in batch.failure
    notification = Notification.objects.get(recipient=rep, key=f"import-checked:{batch.pk}")
    assert "may be damaged" in notification.body
    assert "may be damaged" in client.get(f"/customers/imports/{batch.pk}/").content.decode()


def test_cells_far_to_the_right_of_the_columns_are_not_read_into_the_rows(client_for, rep):
    """CUS-12: a cell in the sheet's last column (XFD) neither makes a row 16,384 values wide
    nor turns a blank row into a data row."""
    far = '<row r="3"><c r="XFD3" t="inlineStr"><is><t>stray</t></is></c></row>'
    data = rewritten(two_customers(), extra_rows=far)
    upload(client_for(rep), "customers", data)
    batch = latest()
    assert (batch.status, batch.total_rows, batch.good_rows) == (ImportStatus.CHECKED, 1, 1)


# --- zip bombs and large workbooks ---------------------------------------------------------


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_opened(client_for, rep, settings):
    """CUS-12: the sizes in the zip's directory are checked first; this file is not even a
    readable workbook, and the answer is its size."""
    settings.IMPORT_MAX_UNPACKED_MB = 1
    padding = b"\0" * (2 * 1024 * 1024)  # 2 MB of zeros pack into a few kB
    data = rewritten(two_customers(), add={"xl/media/padding.bin": padding}, drop=("xl/workbook.xml",))
    assert len(data) < 50_000
    client = client_for(rep)
    response = upload(client, "customers", data)
    batch = latest()
    assert response.status_code == 302
    assert batch.status == ImportStatus.FAILED
    assert "unpacks to more than 1 MB" in batch.failure
    assert "unpacks to more than 1 MB" in client.get(f"/customers/imports/{batch.pk}/").content.decode()


def test_a_workbook_of_thousands_of_parts_is_refused_before_it_is_opened(client_for, rep):
    """CUS-12: openpyxl looks into every sheet when it opens a workbook; an import needs one."""
    parts = {f"xl/media/part{n}.bin": b"" for n in range(1000)}
    upload(client_for(rep), "customers", rewritten(two_customers(), add=parts))
    batch = latest()
    assert batch.status == ImportStatus.FAILED and "more than 1000 parts" in batch.failure


def test_a_workbook_that_unpacks_to_more_than_the_request_may_read_is_checked_in_the_background(
    client_for, rep, settings, django_capture_on_commit_callbacks
):
    """CUS-12: few rows, but a lot to unpack — the request does not open it."""
    settings.IMPORT_BACKGROUND_UNPACKED_MB = 1
    data = rewritten(two_customers(), add={"xl/media/padding.bin": b"\0" * (2 * 1024 * 1024)})
    with django_capture_on_commit_callbacks() as queued:
        upload(client_for(rep), "customers", data)
    batch = latest()
    assert batch.status == ImportStatus.CHECKING and batch.in_background and len(queued) == 1
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()
    batch.refresh_from_db()
    assert (batch.status, batch.good_rows) == (ImportStatus.CHECKED, 1)
    # Confirming imports in the background too: the request never opens this file.
    with django_capture_on_commit_callbacks() as queued:
        client_for(rep).post(f"/customers/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTING and len(queued) == 1
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()
    assert Customer.objects.filter(code="K1").exists()


# --- numbers and dates ---------------------------------------------------------------------


def test_huge_tiny_and_non_numbers_in_a_purchase_import_are_row_errors(client_for, rep, clerk):
    """CUS-10, CUS-12: 1E+30 is too large (not a 500), 1e-30 has too many decimals, NaN and
    Infinity are not numbers — in number cells and in text cells alike."""
    CustomerFactory(owner=rep, code="C1")
    ProductFactory(code="P1")
    rows = [
        ["C1", "P1", "2026-09", 1e30, 100, 0, 0, 0],  # 2: a number cell
        ["C1", "P1", "2026-08", 1, "1E+30", 0, 0, 0],  # 3: text
        ["C1", "P1", "2026-07", 1, 100, 0, 0, "1e-30"],  # 4
        ["C1", "P1", "2026-06", "NaN", "Infinity", 0, 0, "-Infinity"],  # 5
        ["C1", "P1", "2026-05", "1E+999999", "9" * 40, 0, 0, 0],  # 6
        ["C1", "P1", "2026-04", 2, 200, 0, 0, 200],  # 7: good
    ]
    client = client_for(clerk)
    response = upload(client, "purchases", workbook_bytes(PURCHASE_HEADER, rows))
    assert response.status_code == 302
    batch = latest()
    assert (batch.status, batch.good_rows) == (ImportStatus.CHECKED, 1)
    found = {(entry["row"], entry["column"]): entry["message"] for entry in batch.errors}
    assert found[(2, "quantity")] == "The quantity is too large."
    assert found[(3, "amount")] == "The amount is too large."
    assert found[(4, "collected_amount")] == "The amount collected has more than two decimals."
    assert found[(5, "quantity")] == "The quantity is not a number."
    assert found[(5, "amount")] == "The amount is not a number."
    assert found[(5, "collected_amount")] == "The amount collected is not a number."
    assert found[(6, "quantity")] == "The quantity is too large."
    assert found[(6, "amount")] == "The amount is too large."
    assert not Purchase.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1E+30", "The quantity is too large."),
        (1e30, "The quantity is too large."),
        ("1e-30", "The quantity has more than two decimals."),
        ("NaN", "The quantity is not a number."),
        ("Infinity", "The quantity is not a number."),
        ("1E+999999999999999999999", "The quantity is not a number: “1E+99999999999999999”."),
    ],
)
def test_the_bulk_upsert_answers_400_for_numbers_out_of_range(client_for, rep, clerk, value, message):
    """CUS-10: the ERP's rows get a 400 with the field and the reason, never a 500."""
    customer, product = CustomerFactory(owner=rep), ProductFactory()
    row = {
        "external_ref": "ERP-1", "customer": customer.code, "product": product.code, "month": "2026-09",
        "quantity": value, "amount": "1000.00",
    }  # fmt: skip
    response = client_for(clerk).post("/api/v1/purchases/bulk-upsert/", [row], content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"index": 0, "field": "quantity", "message": message}]
    assert not Purchase.objects.exists()


def test_odd_shares_and_dates_in_a_customer_import_are_row_errors(client_for, rep):
    """CUS-04, CUS-12: shares that are not percentages, dates out of any sensible range."""
    header = ["code", "name", "first_deal_date", "contact_name", "contact_birthday", "receives_fee", "fee_share"]
    rows = [
        ["K1", "甲", "", "王芳", "", "yes", "1E+30"],  # 2
        ["K2", "乙", "", "李娜", "", "yes", 1e30],  # 3
        ["K3", "丙", "", "赵敏", "", "yes", "NaN"],  # 4
        ["K4", "丁", "", "周杰", "", "yes", "Infinity"],  # 5
        ["K5", "戊", "", "吴磊", "", "yes", "1e-30"],  # 6
        ["K6", "己", "0001-01-01", "郑爽", datetime.datetime(1899, 12, 25), "no", ""],  # 7
        ["K7", "庚", "9999-12-31", "", "", "", ""],  # 8
        ["K8", "辛", "2020-05-01", "孙俪", "1985-06-01", "yes", "100"],  # 9: good
    ]
    upload(client_for(rep), "customers", workbook_bytes(header, rows))
    batch = latest()
    assert (batch.status, batch.good_rows) == (ImportStatus.CHECKED, 1)
    found: dict = {}
    for entry in batch.errors:
        found.setdefault((entry["row"], entry["column"]), []).append(entry["message"])
    for row in (2, 3):
        assert "The fee share must be between 0 and 100." in found[(row, "fee_share")]
    for row, text in ((4, "NaN"), (5, "Infinity"), (6, "1e-30")):
        assert f"“{text}” is not a percentage." in found[(row, "fee_share")]
    assert found[(7, "first_deal_date")] == ["The date 0001-01-01 is too far back."]
    assert found[(7, "contact_birthday")] == ["The date 1899-12-25 is too far back."]
    assert found[(8, "first_deal_date")] == ["The date 9999-12-31 is in the future."]
    assert not Customer.objects.exists()
    client_for(rep).post(f"/customers/imports/{batch.pk}/confirm/")
    assert list(Customer.objects.values_list("code", flat=True)) == ["K8"]
    assert Customer.objects.get().contacts.get().fee_share == Decimal("100.00")


# --- any failure marks the batch failed ----------------------------------------------------


def _explode(*args, **kwargs):
    raise RuntimeError("a bug")


def test_an_unexpected_error_while_checking_in_the_request_fails_the_batch(client_for, rep, monkeypatch, caplog):
    """CUS-12: a defect in a check answers with the batch page, the batch failed and the error
    logged — not a 500 and a batch "checking" for ever."""
    monkeypatch.setattr(CustomerImporter, "check", _explode)
    client = client_for(rep)
    with caplog.at_level(logging.ERROR, logger="customers.services.imports"):
        response = upload(client, "customers", two_customers())
    batch = latest()
    assert response.status_code == 302 and response["Location"] == f"/customers/imports/{batch.pk}/"
    assert batch.status == ImportStatus.FAILED
    assert "error on our side" in batch.failure
    assert "a bug" in caplog.text
    assert "error on our side" in client.get(f"/customers/imports/{batch.pk}/").content.decode()


def test_an_unexpected_error_while_importing_in_the_request_fails_the_batch(client_for, rep, monkeypatch):
    """CUS-12: nothing is written, the batch says why."""
    client = client_for(rep)
    upload(client, "customers", two_customers())
    batch = latest()
    monkeypatch.setattr(CustomerImporter, "apply", _explode)
    response = client.post(f"/customers/imports/{batch.pk}/confirm/", follow=True)
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "error on our side" in batch.failure
    assert "error on our side" in response.content.decode()
    assert not Customer.objects.exists()


@pytest.mark.parametrize("step", ["check", "apply"])
def test_an_unexpected_error_in_a_background_job_fails_the_batch_at_once(
    client_for, rep, clerk, settings, monkeypatch, django_capture_on_commit_callbacks, step
):
    """CUS-12, JOB-09: a defect is not retried for an hour; the batch fails and the uploader
    is told."""
    settings.IMPORT_BACKGROUND_THRESHOLD = 1
    CustomerFactory(owner=rep, code="C1")
    ProductFactory(code="P1")
    client = client_for(clerk)
    if step == "check":
        monkeypatch.setattr(PurchaseImporter, "check", _explode)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "purchases", workbook_bytes(PURCHASE_HEADER, [["C1", "P1", "2026-09", 1, 100, 0, 0, 0]]))
    batch = latest()
    if step == "apply":
        assert batch.status == ImportStatus.CHECKED
        monkeypatch.setattr(PurchaseImporter, "apply", _explode)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/customers/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "error on our side" in batch.failure
    key = "import-checked" if step == "check" else "import-done"
    assert Notification.objects.filter(recipient=clerk, key=f"{key}:{batch.pk}").count() == 1
    assert not Purchase.objects.exists()


def test_an_import_left_checking_or_importing_by_a_lost_worker_is_failed_by_the_sweep(
    client_for, rep, time_machine, django_capture_on_commit_callbacks
):
    """CUS-12, JOB-09: a worker killed mid-step (out of memory, a deploy) leaves no batch
    "checking" or "importing" for ever; the sweep fails it and tells the uploader, once."""
    from customers.tasks_imports import import_sweep_job

    client = client_for(rep)
    upload(client, "customers", two_customers())
    upload(client, "customers", two_customers())
    stuck_checking, stuck_importing = ImportBatch.objects.order_by("pk")
    ImportBatch.objects.filter(pk=stuck_checking.pk).update(status=ImportStatus.CHECKING)
    ImportBatch.objects.filter(pk=stuck_importing.pk).update(status=ImportStatus.IMPORTING)
    ImportBatch.objects.filter(pk=stuck_importing.pk).update(confirmed_at=stuck_importing.uploaded_at)
    time_machine.move_to("2026-10-15 11:00 +0800")
    with django_capture_on_commit_callbacks(execute=True):
        import_sweep_job.delay()
    assert set(ImportBatch.objects.values_list("status", flat=True)) == {ImportStatus.CHECKING, ImportStatus.IMPORTING}
    time_machine.move_to("2026-10-15 14:00 +0800")
    with django_capture_on_commit_callbacks(execute=True):
        import_sweep_job.delay()
        import_sweep_job.delay()
    for batch in (stuck_checking, stuck_importing):
        batch.refresh_from_db()
        assert batch.status == ImportStatus.FAILED and "interrupted" in batch.failure
    assert Notification.objects.filter(recipient=rep).count() == 2


def test_a_job_past_its_time_limit_fails_the_batch_with_that_reason(
    client_for, rep, clerk, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """CUS-12, JOB-09: the worker's soft time limit ends the step; the batch says why."""
    from celery.exceptions import SoftTimeLimitExceeded

    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded

    settings.IMPORT_BACKGROUND_THRESHOLD = 1
    CustomerFactory(owner=rep, code="C1")
    ProductFactory(code="P1")
    monkeypatch.setattr(PurchaseImporter, "check", too_slow)
    with django_capture_on_commit_callbacks(execute=True):
        upload(
            client_for(clerk), "purchases", workbook_bytes(PURCHASE_HEADER, [["C1", "P1", "2026-09", 1, 100, 0, 0, 0]])
        )
    batch = latest()
    assert batch.status == ImportStatus.FAILED and "took too long" in batch.failure
